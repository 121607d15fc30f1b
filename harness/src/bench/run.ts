// `make bench`: runs every `<workspace>/bench/*.bench.ts` in its own process, one after
// the other (they would disturb each other's figures), and prints one Markdown table.
// `make bench BENCH=api` runs only the files whose path in the repository contains "api"
// (not the checkout's own path, which may contain any word).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../tools.ts'
import { type BenchRow, markdownTable, parseRows } from './report.ts'

const WORKSPACES = ['harness', 'api', 'backup', 'web', 'cdk8s', 'operator', 'e2e']

function benchFiles(filter: string | undefined): string[] {
  return WORKSPACES.flatMap((workspace) => {
    const dir = path.join(repoRoot, workspace, 'bench')
    if (!existsSync(dir)) return []
    return readdirSync(dir)
      .filter((file) => file.endsWith('.bench.ts'))
      .map((file) => path.join(dir, file))
  }).filter((file) => !filter || path.relative(repoRoot, file).includes(filter))
}

const rows: BenchRow[] = []
const failures: string[] = []
for (const file of benchFiles(process.env.BENCH || undefined)) {
  const name = path.relative(repoRoot, file)
  process.stderr.write(`bench: ${name}\n`)
  const result = spawnSync(process.execPath, ['--no-warnings', file], {
    cwd: path.dirname(path.dirname(file)),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  })
  rows.push(...parseRows(result.stdout))
  if (result.status !== 0) failures.push(`${name} exited with ${result.status ?? result.signal}`)
}
process.stdout.write(`${markdownTable(rows)}\n`)
if (failures.length > 0) {
  process.stderr.write(`\nfailed benchmarks:\n${failures.join('\n')}\n`)
  process.exit(1)
}
