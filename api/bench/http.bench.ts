// HTTP throughput and latency of the API: /livez (the whole middleware stack, no I/O) and
// /api/v1/instance (plus a request context and a Postgres round trip), beside bare Koa
// measured in the same run as the framework ceiling. Each server is its own process;
// autocannon drives them from this one.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort, startPostgres, startRedis } from '@helpdesk/harness'
import autocannon from 'autocannon'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { migrateDatabase } from '../src/db/database.ts'
import { benchAppKeysDir } from './app-keys.ts'
import { waitForOk } from './wait-for.ts'

const CONNECTIONS = [10, 50, 100]
const DURATION_SECONDS = 8
const WARMUP_SECONDS = 2

interface Figures {
  rps: number
  p50: number
  p95: number
  p99: number
}

function startProcess(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--no-warnings', fileURLToPath(new URL(script, import.meta.url))],
    {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') {
      process.stderr.write(`${script} exited with ${code ?? signal}\n`)
      process.exit(1)
    }
  })
  return child
}

async function measure(url: string, connections: number, duration: number): Promise<Figures> {
  const latencies: number[] = []
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
  }
}

const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()])
const databaseUrl = await postgres.createDatabase('bench')
await migrateDatabase(databaseUrl)
const [apiPort, koaPort] = await Promise.all([freePort(), freePort()])
const api = startProcess('./serve-unlimited.ts', {
  PORT: String(apiPort),
  LOG_LEVEL: 'info',
  DATABASE_URL: databaseUrl,
  REDIS_URL: redis.url,
  HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
})
const koa = startProcess('./koa-hello.ts', { PORT: String(koaPort) })
try {
  const ceiling = `http://127.0.0.1:${koaPort}/`
  const targets = {
    'GET /livez': `http://127.0.0.1:${apiPort}/livez`,
    'GET /api/v1/instance (Postgres)': `http://127.0.0.1:${apiPort}/api/v1/instance`,
  }
  await Promise.all([waitForOk(ceiling), waitForOk(`http://127.0.0.1:${apiPort}/readyz`)])
  for (const url of [ceiling, ...Object.values(targets)]) await measure(url, 10, WARMUP_SECONDS)
  for (const connections of CONNECTIONS) {
    const bare = await measure(ceiling, connections, DURATION_SECONDS)
    for (const [name, url] of Object.entries(targets)) {
      const figures = await measure(url, connections, DURATION_SECONDS)
      const row = (metric: keyof Figures, unit: string) =>
        reportRow({
          name: `api ${name}, ${connections} connections: ${metric}`,
          figure: figures[metric],
          unit,
          ceilingName: 'bare Koa hello-world',
          ceiling: bare[metric],
        })
      row('rps', 'req/s')
      row('p50', 'ms')
      row('p95', 'ms')
      row('p99', 'ms')
    }
  }
} finally {
  api.kill('SIGTERM')
  koa.kill('SIGTERM')
  await Promise.all([postgres.stop(), redis.stop()])
}
