// HTTP throughput and latency of the API: /livez (the whole middleware stack, no I/O) and
// /api/v1/instance (plus a request context and a Postgres round trip), beside bare Koa
// measured in the same run as the framework ceiling. Each server is its own process;
// autocannon drives them from this one, so on a small machine the client takes a core of its
// own and throughput is partly the client's: the CPU each server spends per request (from
// /proc) is the figure the machine's load disturbs least. Last, memory: the API as the image
// runs it (the bundle) beside the same API run from its TypeScript sources.
import { API_RESOURCES } from '@helpdesk/cdk8s'
import { freePort, startPostgres, startRedis } from '@helpdesk/harness'
import autocannon from 'autocannon'
import { type MemoryLimit, memoryLimit } from '../../harness/src/bench/memory-limit.ts'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { migrateDatabase } from '../src/db/database.ts'
import { benchAppKeysDir } from './app-keys.ts'
import { bundleLikeTheImage, cpuSeconds, peakRss, startServer, waitForOk } from './processes.ts'

const CONNECTIONS = [10, 50, 100]
const DURATION_SECONDS = 8
const WARMUP_SECONDS = 2

interface Figures {
  rps: number
  p50: number
  p95: number
  p99: number
  /** The server's CPU time per request, in microseconds. */
  cpu: number
}

async function measure(
  url: string,
  connections: number,
  duration: number,
  serverPid: number,
): Promise<Figures> {
  const latencies: number[] = []
  const cpuBefore = cpuSeconds(serverPid)
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration }, (error, finished) =>
      error ? reject(error) : resolve(finished),
    )
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      latencies.push(responseTime)
    })
  })
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`)
  }
  return {
    rps: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu: ((cpuSeconds(serverPid) - cpuBefore) * 1e6) / latencies.length,
  }
}

/**
 * Peak RSS of `helpdesk serve` started from `entry` (relative to this folder) under /livez
 * load, inside the chart's memory limit: /livez is outside the rate limits, so the real
 * command serves it as in production.
 */
async function servingRss(
  entry: string,
  env: Record<string, string>,
  limit: MemoryLimit,
): Promise<number> {
  const port = await freePort()
  const server = startServer(entry, { ...env, PORT: String(port) }, { args: ['serve'], limit })
  try {
    await waitForOk(`http://127.0.0.1:${port}/readyz`)
    const url = `http://127.0.0.1:${port}/livez`
    const pid = server.child.pid as number
    const [, peak] = await peakRss(pid, measure(url, 10, DURATION_SECONDS, pid))
    return peak
  } finally {
    await server.stop()
  }
}

const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()])
const databaseUrl = await postgres.createDatabase('bench')
await migrateDatabase(databaseUrl)
const [apiPort, koaPort] = await Promise.all([freePort(), freePort()])
const apiEnv = {
  LOG_LEVEL: 'info',
  DATABASE_URL: databaseUrl,
  REDIS_URL: redis.url,
  HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
}
const api = startServer('./serve-unlimited.ts', { ...apiEnv, PORT: String(apiPort) })
const koa = startServer('./koa-hello.ts', { PORT: String(koaPort) })
try {
  const ceiling = `http://127.0.0.1:${koaPort}/`
  const targets = {
    'GET /livez': `http://127.0.0.1:${apiPort}/livez`,
    'GET /api/v1/instance (Postgres)': `http://127.0.0.1:${apiPort}/api/v1/instance`,
  }
  await Promise.all([waitForOk(ceiling), waitForOk(`http://127.0.0.1:${apiPort}/readyz`)])
  const apiPid = api.child.pid as number
  const koaPid = koa.child.pid as number
  await measure(ceiling, 10, WARMUP_SECONDS, koaPid)
  for (const url of Object.values(targets)) await measure(url, 10, WARMUP_SECONDS, apiPid)
  for (const connections of CONNECTIONS) {
    const bare = await measure(ceiling, connections, DURATION_SECONDS, koaPid)
    for (const [name, url] of Object.entries(targets)) {
      const figures = await measure(url, connections, DURATION_SECONDS, apiPid)
      const row = (metric: keyof Figures, unit: string, target?: string) =>
        reportRow({
          name: `api ${name}, ${connections} connections: ${metric}`,
          figure: figures[metric],
          unit,
          ceilingName: 'bare Koa hello-world',
          ceiling: bare[metric],
          target,
        })
      row('rps', 'req/s', url.endsWith('/livez') ? 'ratio >= 0.6' : undefined)
      row('cpu', 'µs/req')
      row('p50', 'ms')
      row('p95', 'ms')
      row('p99', 'ms')
    }
  }
  api.stop()
  await bundleLikeTheImage({ helpdesk: 'src/cli/helpdesk.ts' })
  const limit = memoryLimit(API_RESOURCES.limits.memory)
  try {
    reportRow({
      name: `api RSS, highest under /livez (10 connections), run as the image runs it (bundle), ${limit.description}`,
      figure: await servingRss('../dist/helpdesk.js', apiEnv, limit),
      unit: 'MB',
      ceilingName: 'same, from TypeScript sources',
      ceiling: await servingRss('../src/cli/helpdesk.ts', apiEnv, limit),
      target: 'RSS <= 150 MB',
    })
  } finally {
    limit.release()
  }
} finally {
  api.stop()
  koa.stop()
  await Promise.all([postgres.stop(), redis.stop()])
}
