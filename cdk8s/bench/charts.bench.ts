// How big a release is and how long helm needs for it. The ceiling of `helm template` is
// helm on the harness's one-ConfigMap chart in the same run: what helm itself costs.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { serviceDir } from '@helpdesk/harness'
import { median, reportRow } from '../../harness/src/bench/report.ts'
import { repoRoot, toolPath } from '../../harness/src/tools.ts'
import { helpdeskChartDefinition } from '../src/charts/helpdesk-chart.ts'
import { generateChart } from '../src/helm/chart-generator.ts'
import { renderHelpdesk } from '../src/index.ts'
import { renderValues } from '../src/render/render-helpdesk.ts'
import { resolveValues } from '../src/render/values.ts'
import { VALUE_SETS } from '../test/support/value-sets.ts'

const RUNS = 15
const helpdeskChart = path.join(repoRoot, 'charts/helpdesk')
const tinyChart = path.join(repoRoot, 'harness/test/fixtures/tiny-chart')
const scratch = serviceDir('cdk8s-bench')

function helmTemplateMs(chart: string, values: Record<string, unknown>): number {
  const file = path.join(scratch, 'values.json')
  writeFileSync(file, JSON.stringify(values))
  const started = performance.now()
  const result = spawnSync(toolPath('helm'), ['template', 'bench', chart, '-f', file], {
    encoding: 'utf8',
    env: {
      ...process.env,
      HELM_CACHE_HOME: scratch,
      HELM_CONFIG_HOME: scratch,
      HELM_DATA_HOME: scratch,
    },
  })
  const elapsed = performance.now() - started
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`)
  return elapsed
}

function medianOf(measure: () => number): number {
  measure()
  return median(Array.from({ length: RUNS }, measure))
}

const ceiling = medianOf(() => helmTemplateMs(tinyChart, {}))
for (const name of ['defaults', 'everything'] as const) {
  const values = VALUE_SETS[name] as Record<string, unknown>
  reportRow({
    name: `cdk8s: helm template charts/helpdesk (${name} values)`,
    figure: medianOf(() => helmTemplateMs(helpdeskChart, values)),
    unit: 'ms',
    ceilingName: 'helm template of a one-ConfigMap chart',
    ceiling,
  })
  const objects = renderValues(resolveValues(values), {
    name: 'bench',
    namespace: 'bench',
    managedBy: 'Helm',
    backupSchedule: true,
    helmTest: false,
  })
  reportRow({
    name: `cdk8s: objects per release (${name} values)`,
    figure: objects.length,
    unit: 'objects',
  })
}

const spec = { host: 'help.acme.example' }
reportRow({
  name: 'cdk8s: renderHelpdesk (operator desired state, defaults)',
  figure: medianOf(() => {
    const started = performance.now()
    renderHelpdesk({ name: 'bench', namespace: 'bench', spec })
    return performance.now() - started
  }),
  unit: 'ms',
})

const generationStarted = performance.now()
const { renders } = generateChart(helpdeskChartDefinition())
reportRow({
  name: `cdk8s: generate charts/helpdesk from the constructs (${Object.values(renders).reduce((a, b) => a + b, 0)} renders)`,
  figure: (performance.now() - generationStarted) / 1000,
  unit: 's',
})
