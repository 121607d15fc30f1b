// `make lint-openapi`: the OpenAPI document this version serves, linted with Redocly's
// recommended rules. Any problem fails, warnings included: client generators read it.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const api = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.resolve(api, '..', 'node_modules', '.bin', name)

interface Problem {
  ruleId: string
  severity: 'error' | 'warn'
  message: string
  location: { pointer?: string }[]
}

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-openapi-'))
try {
  const { stdout: document } = await run(
    process.execPath,
    [path.join(api, 'src/cli/helpdesk.ts'), 'openapi'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  const file = path.join(dir, 'openapi.json')
  writeFileSync(file, document)
  // No telemetry or update checks: CI reaches package registries only.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
  const lint = await run(
    bin('redocly'),
    ['lint', file, '--extends', 'recommended', '--format', 'json'],
    {
      env,
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }))
  const report = lint.stdout.slice(lint.stdout.indexOf('{'))
  if (!report) throw new Error(`redocly lint gave no report:\n${lint.stderr}`)
  const { problems = [] } = JSON.parse(report) as { problems?: Problem[] }
  for (const problem of problems) {
    const where = problem.location.map((location) => location.pointer).join(', ')
    process.stdout.write(`${problem.severity} ${problem.ruleId} ${where}\n  ${problem.message}\n`)
  }
  const operations = Object.values(
    (JSON.parse(document) as { paths: Record<string, object> }).paths,
  ).reduce((count, methods) => count + Object.keys(methods).length, 0)
  process.stdout.write(
    `OpenAPI document (${operations} operations), Redocly recommended rules: ${problems.length} problems\n`,
  )
  process.exitCode = problems.length === 0 ? 0 : 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
