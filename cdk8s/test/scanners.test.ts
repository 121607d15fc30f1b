// checkov and kube-score, the scanners platform teams run over charts, over our rendered
// charts: every finding must be a committed, reasoned exception (scan-exceptions.yaml),
// and every exception must still match a finding.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { helm, serviceDir, toolPath } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { HELPDESK_CHART, OPERATOR_CHART, valuesFile } from './support/charts.ts'
import { VALUE_SETS } from './support/value-sets.ts'

const run = promisify(execFile)
const EXCEPTIONS = fileURLToPath(new URL('../scan-exceptions.yaml', import.meta.url))

type Tool = 'checkov' | 'kube-score'

interface Exception {
  check: string
  objects: string[]
  reason: string
}

interface Finding {
  tool: Tool
  check: string
  /** Kind/name */
  object: string
}

/** What the scans cover: the value sets of the Helpdesk chart, the operator chart plain and all on. */
const RENDERS: { name: string; chart: string; release: string; values: Record<string, unknown> }[] =
  [
    ...['defaults', 'external', 'everything'].map((name) => ({
      name,
      chart: HELPDESK_CHART,
      release: 'demo',
      values: VALUE_SETS[name] as Record<string, unknown>,
    })),
    { name: 'operator', chart: OPERATOR_CHART, release: 'op', values: {} },
    {
      name: 'operator-all-on',
      chart: OPERATOR_CHART,
      release: 'op',
      values: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true } },
    },
  ]

async function renderAll(): Promise<{ directory: string; files: string[] }> {
  const directory = path.join(serviceDir('helpdesk-scans'), 'renders')
  mkdirSync(directory, { recursive: true })
  const files: string[] = []
  for (const render of RENDERS) {
    const manifests = await helm([
      'template',
      render.release,
      render.chart,
      '--namespace',
      'support',
      '--skip-tests',
      '-f',
      valuesFile(render.values),
    ])
    const file = path.join(directory, `${render.name}.yaml`)
    writeFileSync(file, manifests)
    files.push(file)
  }
  return { directory, files }
}

async function checkov(directory: string): Promise<Finding[]> {
  // Exit code 1 means "failed checks": the JSON report says which.
  const output = await run(
    toolPath('checkov'),
    ['-d', directory, '--framework', 'kubernetes', '--quiet', '--compact', '-o', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  const parsed = JSON.parse(output.stdout) as Report | Report[]
  const reports = Array.isArray(parsed) ? parsed : [parsed]
  return reports.flatMap((report) =>
    (report.results?.failed_checks ?? []).map((failed) => {
      const [kind, , name] = failed.resource.split('.')
      return { tool: 'checkov' as const, check: failed.check_id, object: `${kind}/${name}` }
    }),
  )
}

interface Report {
  results?: { failed_checks?: { check_id: string; resource: string }[] }
}

async function kubeScore(file: string): Promise<Finding[]> {
  const output = await run(toolPath('kube-score'), ['score', file, '-o', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  const scored = JSON.parse(output.stdout) as {
    type_meta: { kind: string }
    object_meta: { name: string }
    checks: { check: { id: string }; grade: number; skipped: boolean }[]
  }[]
  // Grades: 1 critical, 5 warning, 7 almost OK, 10 OK.
  return scored.flatMap((object) =>
    object.checks
      .filter((check) => !check.skipped && check.grade < 10)
      .map((check) => ({
        tool: 'kube-score' as const,
        check: check.check.id,
        object: `${object.type_meta.kind}/${object.object_meta.name}`,
      })),
  )
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)

describe('checkov and kube-score over the rendered charts', () => {
  it('find nothing but the committed exceptions, and every exception still applies', async () => {
    const { directory, files } = await renderAll()
    const findings = [
      ...(await checkov(directory)),
      ...(await Promise.all(files.map(kubeScore))).flat(),
    ]
    const exceptions = parse(readFileSync(EXCEPTIONS, 'utf8')) as Record<Tool, Exception[]>
    const excused = (finding: Finding) =>
      exceptions[finding.tool].find(
        (exception) =>
          exception.check === finding.check &&
          exception.objects.some((pattern) => glob(pattern).test(finding.object)),
      )
    const unexplained = findings
      .filter((finding) => !excused(finding))
      .map((finding) => `${finding.tool} ${finding.check} ${finding.object}`)
    expect([...new Set(unexplained)].sort()).toEqual([])
    const stale = (Object.keys(exceptions) as Tool[]).flatMap((tool) =>
      exceptions[tool]
        .filter((exception) => !findings.some((finding) => excused(finding) === exception))
        .map((exception) => `${tool} ${exception.check}`),
    )
    expect(stale).toEqual([])
    for (const exception of Object.values(exceptions).flat()) {
      expect(exception.reason.length).toBeGreaterThan(20)
    }
  }, 600_000)
})
