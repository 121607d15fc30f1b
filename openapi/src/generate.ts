// The HTTP API's contract in two files, both generated, both committed: docs/openapi.json,
// the document the API serves at /api/v1/openapi.json (here for an installation at
// http://localhost:8080), and web/src/api/schema.ts, the web app's types made from it by
// openapi-typescript. `--check` writes nothing and fails when either file is stale: the
// route definitions changed and `npm run generate -w @helpdesk/openapi` was not run.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { apiDocument, loadConfig } from '@helpdesk/api'
import openapiTS, { astToString } from 'openapi-typescript'

const repo = (file: string) => fileURLToPath(new URL(`../../${file}`, import.meta.url))

export const DOCUMENT_FILE = 'docs/openapi.json'
export const TYPES_FILE = 'web/src/api/schema.ts'

const TYPES_HEADER = `// Generated from ${DOCUMENT_FILE} by openapi-typescript (npm run generate -w @helpdesk/openapi).
// Do not edit: change the API's route definitions and generate again; make lint fails when
// this file is stale. Readable names for these shapes are in ./types.ts.
`

/** Both files as they must read, from the API's route definitions. */
export async function contractFiles(): Promise<Record<string, string>> {
  const document = apiDocument(loadConfig({}))
  const types = astToString(
    await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
      exportType: true,
      alphabetize: true,
    }),
  )
  return {
    [DOCUMENT_FILE]: `${JSON.stringify(document, null, 2)}\n`,
    [TYPES_FILE]: TYPES_HEADER + types,
  }
}

function current(file: string): string | undefined {
  try {
    return readFileSync(repo(file), 'utf8')
  } catch {
    return undefined
  }
}

async function main(check: boolean): Promise<number> {
  const stale: string[] = []
  for (const [file, content] of Object.entries(await contractFiles())) {
    if (current(file) === content) continue
    stale.push(file)
    if (!check) writeFileSync(repo(file), content)
  }
  if (check && stale.length > 0) {
    process.stderr.write(
      `${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: the API's routes changed. Run: npm run generate -w @helpdesk/openapi\n`,
    )
    return 1
  }
  if (!check)
    process.stdout.write(stale.length > 0 ? `wrote ${stale.join(', ')}\n` : 'up to date\n')
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.includes('--check')))
}
