// `make charts`: writes charts/helpdesk and charts/helpdesk-operator from the constructs.
// `make check-charts` (--check): fails, listing the files, when the committed charts differ
// from a fresh generation.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { helpdeskChartDefinition } from '../charts/helpdesk-chart.ts'
import { operatorChartDefinition } from '../charts/operator-chart.ts'
import { generateChart } from '../helm/chart-generator.ts'

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url))

function main(): number {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(REPOSITORY, 'charts') },
    },
  })
  const charts = [helpdeskChartDefinition(), operatorChartDefinition()]
  let stale = 0
  for (const definition of charts) {
    const started = performance.now()
    const { files, renders } = generateChart(definition)
    const directory = path.join(values.out as string, definition.name)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const total = Object.values(renders).reduce((sum, count) => sum + count, 0)
    if (values.check) {
      const differences = compare(directory, files)
      stale += differences.length
      for (const difference of differences) console.error(`${definition.name}: ${difference}`)
    } else {
      write(directory, files)
    }
    console.log(`${definition.name}: ${files.size} files, ${total} renders, ${seconds} s`)
  }
  if (stale) {
    console.error('charts/ is out of date: run `make charts` and commit the result.')
    return 1
  }
  return 0
}

function write(directory: string, files: Map<string, string>): void {
  rmSync(directory, { recursive: true, force: true })
  for (const [name, content] of files) {
    const file = path.join(directory, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
}

function compare(directory: string, files: Map<string, string>): string[] {
  const existing = new Set(listFiles(directory))
  const differences: string[] = []
  for (const [name, content] of files) {
    if (!existing.has(name)) differences.push(`${name} is missing`)
    else if (readFileSync(path.join(directory, name), 'utf8') !== content)
      differences.push(`${name} differs`)
    existing.delete(name)
  }
  for (const name of existing) differences.push(`${name} is no longer generated`)
  return differences
}

function listFiles(directory: string, prefix = ''): string[] {
  let entries: string[]
  try {
    entries = readdirSync(path.join(directory, prefix))
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry}` : entry
    return statSync(path.join(directory, relative)).isDirectory()
      ? listFiles(directory, relative)
      : [relative]
  })
}

process.exitCode = main()
