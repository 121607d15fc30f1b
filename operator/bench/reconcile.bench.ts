// Reconcile latency (spec change -> object applied) with 1, 100 and 500 Helpdesks, API
// calls per reconcile, and the operator's memory (resident set at rest and its peak) with
// none, 100 and 500. The operator runs as its own process, bundled as its image runs it
// (rolldown.config.ts), under the chart's RBAC and memory limit, against a private etcd +
// kube-apiserver; this process edits Helpdesks and watches for the result.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { OPERATOR_RESOURCES } from '@helpdesk/cdk8s'
import { freePort, kubeconfigFor, logFile, startKubernetes, supervise } from '@helpdesk/harness'
import { build } from 'rolldown'
import { memoryLimit } from '../../harness/src/bench/memory-limit.ts'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import bundleOptions from '../rolldown.config.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import { Informer } from '../src/runtime/informer.ts'
import { OperatorMetrics } from '../src/runtime/metrics.ts'
import { adminClient, eventually, field, kubeConfigFor } from '../test/support/kube.ts'
import { installCrds, operatorToken } from '../test/support/operator-under-test.ts'
import { testLogger } from '../test/support/silent-logger.ts'

// 40 edits per fleet: the p95 of 20 would be the single slowest edit.
const EDITS = 40
const FLEETS = [100, 500] as const
/** Issue 20's ceilings on the operator's resident set, by number of Helpdesks. */
const RSS_TARGETS_MIB: Record<(typeof FLEETS)[number], number> = { 100: 200, 500: 300 }

const operatorDir = fileURLToPath(new URL('..', import.meta.url))
await build({
  ...bundleOptions,
  cwd: operatorDir,
  output: { ...bundleOptions.output, dir: path.join(operatorDir, 'dist') },
})
const limit = memoryLimit(OPERATOR_RESOURCES.limits.memory)
const cluster = await startKubernetes()
const admin = adminClient(cluster)
let operator: ReturnType<typeof supervise> | undefined
let peak: PeakRss | undefined
try {
  await installCrds(cluster)
  const namespace = await cluster.createNamespace('bench')
  const token = await operatorToken(namespace, cluster)
  const directory = mkdtempSync(path.join(tmpdir(), 'operator-bench-'))
  const kubeconfig = path.join(directory, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigFor({ server: cluster.server, ca: cluster.ca, token }))
  const port = await freePort()
  // Supervised: the operator never outlives this benchmark, however it ends.
  operator = supervise({
    name: 'helpdesk-operator',
    ...limit.wrap(process.execPath, ['--no-warnings', path.join(operatorDir, 'dist/main.js')]),
    env: {
      PATH: process.env.PATH ?? '',
      KUBECONFIG: kubeconfig,
      HELPDESK_OPERATOR_WATCH_NAMESPACES: namespace,
      HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: namespace,
      HELPDESK_OPERATOR_METRICS_PORT: String(port),
      // Scrapes would otherwise add token reviews to the requests the benchmark counts.
      HELPDESK_OPERATOR_METRICS_AUTH: 'none',
      LOG_LEVEL: 'warn',
    },
    log: logFile('helpdesk-operator'),
  })
  const metricsUrl = `http://127.0.0.1:${port}/metrics`
  peak = samplePeakRss(metricsUrl)
  await eventually(
    'the operator to lead with synced caches',
    async () => {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
        leader: boolean
        cachesSynced: boolean
      }
      return health.leader && health.cachesSynced
    },
    { timeoutMs: 60_000 },
  )

  const configMaps = new Informer<KubeObject>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespaces: [namespace],
    config: kubeConfigFor(cluster),
    client: admin,
    metrics: new OperatorMetrics(),
    logger: testLogger,
    backoff: { baseMs: 200, maxMs: 2_000 },
  })
  configMaps.start()
  await configMaps.waitForSync()

  const apiConfig = (name: string) =>
    configMaps.get(namespace, `${name}-api`)?.data as Record<string, string> | undefined
  const whenLogLevel = (name: string, level: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (apiConfig(name)?.LOG_LEVEL === level) resolve()
      }
      configMaps.onChange(check)
      check()
    })

  async function createFleet(from: number, to: number) {
    for (let index = from; index < to; index++) {
      await admin.create({
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'Helpdesk',
        metadata: { name: `hd-${index}`, namespace },
        spec: { host: `hd-${index}.example` },
      })
    }
    await eventually(
      `${to} Helpdesks applied`,
      async () => {
        const list = await admin.list('helpdesk.dev/v1alpha1', 'Helpdesk', { namespace })
        const observed = (item: KubeObject) =>
          field(item, 'status', 'observedGeneration') === item.metadata.generation
        return list.items.filter(observed).length === to
      },
      { timeoutMs: (to - from) * 6_000, intervalMs: 1_000 },
    )
    await quiet(metricsUrl)
  }

  /** Edits the log level of random Helpdesks; returns latencies (ms) and API calls per reconcile. */
  async function editLatencies(fleet: number): Promise<Edits> {
    const latencies: number[] = []
    const before = await scrape(metricsUrl)
    for (let edit = 0; edit < EDITS; edit++) {
      const name = `hd-${Math.floor(Math.random() * fleet)}`
      const level = apiConfig(name)?.LOG_LEVEL === 'debug' ? 'info' : 'debug'
      const applied = whenLogLevel(name, level)
      const started = performance.now()
      await admin.patch(
        { apiVersion: 'helpdesk.dev/v1alpha1', kind: 'Helpdesk', namespace, name },
        'merge',
        { spec: { api: { logLevel: level } } },
      )
      await applied
      latencies.push(performance.now() - started)
      await quiet(metricsUrl)
    }
    const after = await scrape(metricsUrl)
    const reconciles = after.helpdeskReconciles - before.helpdeskReconciles
    return {
      latencies,
      callsPerReconcile: (after.reconcilerRequests - before.reconcilerRequests) / reconciles,
    }
  }

  /** The layer underneath: the same ConfigMap change applied directly, seen through the same watch. */
  async function directApplyLatencies() {
    const latencies: number[] = []
    for (let edit = 0; edit < EDITS; edit++) {
      const value = `direct-${edit}`
      const seen = new Promise<void>((resolve) =>
        configMaps.onChange((object) => {
          if (
            object.metadata.name === 'bench-direct' &&
            (object.data as Record<string, string>).LOG_LEVEL === value
          )
            resolve()
        }),
      )
      const started = performance.now()
      await admin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'bench-direct', namespace },
        data: { LOG_LEVEL: value },
      })
      await seen
      latencies.push(performance.now() - started)
    }
    return latencies
  }

  const directLatencies = await directApplyLatencies()
  const idle = await memory(metricsUrl, peak)
  await createFleet(0, 1)
  const one = await editLatencies(1)
  const fleets: Array<{ fleet: number; memory: Memory } & Edits> = []
  for (const fleet of FLEETS) {
    peak.reset()
    await createFleet(fleets.at(-1)?.fleet ?? 1, fleet)
    const latencies = await editLatencies(fleet)
    fleets.push({ fleet, ...latencies, memory: await memory(metricsUrl, peak) })
  }

  const noopBefore = await scrape(metricsUrl)
  await admin.patch(
    { apiVersion: 'helpdesk.dev/v1alpha1', kind: 'Helpdesk', namespace, name: 'hd-0' },
    'merge',
    { metadata: { annotations: { touched: 'yes' } } },
  )
  await eventually(
    'the touch reconcile',
    async () => (await scrape(metricsUrl)).helpdeskReconciles > noopBefore.helpdeskReconciles,
  )
  await quiet(metricsUrl)
  const noopAfter = await scrape(metricsUrl)
  peak.stop()

  for (const [label, figures] of [
    ['1 Helpdesk', one],
    ...fleets.map(({ fleet, ...figures }) => [`${fleet} Helpdesks`, figures] as const),
  ] as const) {
    for (const p of [50, 95]) {
      reportRow({
        name: `operator: spec change -> applied, p${p}, ${label}`,
        figure: percentile(figures.latencies, p),
        unit: 'ms',
        ceilingName: 'direct apply seen by the same watch',
        ceiling: percentile(directLatencies, p),
      })
    }
    reportRow({
      name: `operator: API calls per reconcile after a spec change, ${label}`,
      figure: figures.callsPerReconcile,
      unit: 'requests',
    })
  }
  reportRow({
    name: 'operator: API calls of a reconcile with nothing to change',
    figure: noopAfter.reconcilerRequests - noopBefore.reconcilerRequests,
    unit: 'requests',
    target: '0',
  })
  const baseline = await idleRss()
  const memoryRows = [
    { label: '0 Helpdesks (caches synced)', during: 'starting', figures: idle, target: undefined },
    ...fleets.map(({ fleet, memory }) => ({
      label: `${fleet} Helpdesks`,
      during: `creating and editing up to ${fleet} Helpdesks`,
      figures: memory,
      target: `<= ${RSS_TARGETS_MIB[fleet as (typeof FLEETS)[number]]} MiB`,
    })),
  ]
  for (const { label, during, figures, target } of memoryRows) {
    reportRow({
      name: `operator: RSS at rest with ${label}, ${limit.description}`,
      figure: figures.rssMiB,
      unit: 'MiB',
      ceilingName: 'idle node process with client-node loaded',
      ceiling: baseline,
      target,
    })
    reportRow({
      name: `operator: peak RSS ${during}, ${limit.description}`,
      figure: figures.peakRssMiB,
      unit: 'MiB',
    })
    reportRow({
      name: `operator: JavaScript heap in use at rest with ${label}`,
      figure: figures.heapUsedMiB,
      unit: 'MiB',
    })
  }
  await configMaps.stop()
} finally {
  peak?.stop()
  await operator?.stop()
  limit.release()
  admin.close()
  await cluster.stop()
}

interface Edits {
  latencies: number[]
  callsPerReconcile: number
}

interface Scrape {
  helpdeskReconciles: number
  reconcilerRequests: number
  rssBytes: number
  heapUsedBytes: number
}

async function scrape(url: string): Promise<Scrape> {
  const text = await metricsText(url)
  const sum = (pattern: RegExp) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)
  return {
    helpdeskReconciles: sum(/^helpdesk_operator_reconciles_total\{controller="helpdesk"/),
    reconcilerRequests: sum(/^helpdesk_operator_api_requests_total\{user="reconcilers"/),
    rssBytes: sum(/^helpdesk_operator_process_resident_memory_bytes /),
    heapUsedBytes: sum(/^helpdesk_operator_nodejs_heap_size_used_bytes /),
  }
}

/**
 * One resend when the request is lost on a keep-alive connection the operator's server is
 * closing at that moment (ECONNRESET): with scrapes every few hundred milliseconds for half
 * an hour, that race is bound to happen once.
 */
async function metricsText(url: string): Promise<string> {
  try {
    return await (await fetch(url)).text()
  } catch {
    return await (await fetch(url)).text()
  }
}

/** Waits until the operator's reconcilers have made no request for a second. */
async function quiet(url: string): Promise<void> {
  let last = (await scrape(url)).reconcilerRequests
  for (let still = 0; still < 10; ) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = (await scrape(url)).reconcilerRequests
    still = now === last ? still + 1 : 0
    last = now
  }
}

interface Memory {
  rssMiB: number
  peakRssMiB: number
  heapUsedMiB: number
}

/** The operator's memory once it is quiet, and the peak since the sampler was last reset. */
async function memory(url: string, peak: PeakRss): Promise<Memory> {
  await quiet(url)
  const { rssBytes, heapUsedBytes } = await scrape(url)
  return {
    rssMiB: rssBytes / 2 ** 20,
    peakRssMiB: Math.max(peak.reset(), rssBytes) / 2 ** 20,
    heapUsedMiB: heapUsedBytes / 2 ** 20,
  }
}

interface PeakRss {
  /** The peak since the last reset, in bytes; starts over. */
  reset(): number
  stop(): void
}

/**
 * Samples the operator's RSS twice a second: a container's memory limit must hold the peak
 * (a burst of reconciles before a collection), not just the figure at rest.
 */
function samplePeakRss(url: string): PeakRss {
  let peak = 0
  const timer = setInterval(() => {
    scrape(url).then(
      ({ rssBytes }) => {
        peak = Math.max(peak, rssBytes)
      },
      () => {},
    )
  }, 500)
  return {
    reset() {
      const before = peak
      peak = 0
      return before
    },
    stop: () => clearInterval(timer),
  }
}

/** RSS of a node process that has loaded @kubernetes/client-node and does nothing. */
async function idleRss(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "await import('@kubernetes/client-node'); setTimeout(() => { process.stdout.write(String(process.memoryUsage().rss)) }, 500)",
    ],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise((resolve) => child.on('exit', resolve))
  return Number(output) / 2 ** 20
}
