// Sign-in latency by outcome: an unknown email must cost what a wrong password costs, or the
// timing tells which emails are registered. The ceiling is one argon2id verification, the
// work every outcome must do. The API runs in this process on harness Postgres and Redis.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { startPostgres, startRedis } from '@helpdesk/harness'
import { verify } from '@node-rs/argon2'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { createUser } from '../src/accounts/commands.ts'
import { hashPassword } from '../src/accounts/passwords.ts'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { benchAppKeysDir } from './app-keys.ts'

const ATTEMPTS = 200
const WARMUP = 20
const PASSWORD = 'the benchmark user password'
const unlimited = { points: 1_000_000_000, durationSeconds: 60 }

const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()])
const config = loadConfig({
  LOG_LEVEL: 'warn',
  DATABASE_URL: await postgres.createDatabase('login'),
  REDIS_URL: redis.url,
  HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
})
const app = await createApp(config, {
  migrate: true,
  jobs: false,
  rateLimits: {
    global: { ...unlimited, whenStoreDown: 'local' },
    login: { ...unlimited, whenStoreDown: 'reject' },
    loginIp: { ...unlimited, whenStoreDown: 'reject' },
  },
})
const server = createServer(app.callback())
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const address = server.address()
if (!address || typeof address === 'string') throw new Error('not listening')
const url = `http://127.0.0.1:${address.port}/api/v1/auth/login`

try {
  await createUser(app.services.orm.em.fork(), {
    email: 'known@example.test',
    name: 'Known',
    role: 'customer',
    password: PASSWORD,
  })
  const outcomes = {
    'wrong password (known email)': { email: 'known@example.test', password: 'not it at all' },
    'unknown email': { email: 'unknown@example.test', password: 'not it at all' },
    'right password (session started)': { email: 'known@example.test', password: PASSWORD },
  }
  const stored = await hashPassword(PASSWORD)
  const ceiling = await timed(() => verify(stored, 'not it at all').then(() => undefined))
  for (const [outcome, body] of Object.entries(outcomes)) {
    const latencies = await timed(async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      await response.arrayBuffer()
    })
    for (const p of [50, 95] as const) {
      reportRow({
        name: `api POST /auth/login, ${outcome}: p${p}`,
        figure: percentile(latencies, p),
        unit: 'ms',
        ceilingName: 'one argon2id verify',
        ceiling: percentile(ceiling, p),
      })
    }
  }
} finally {
  server.close()
  await app.close()
  await Promise.all([postgres.stop(), redis.stop()])
}

/** Milliseconds of each of ATTEMPTS sequential runs, after a warm-up. */
async function timed(run: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await run()
  const latencies: number[] = []
  for (let i = 0; i < ATTEMPTS; i++) {
    const start = performance.now()
    await run()
    latencies.push(performance.now() - start)
  }
  return latencies
}
