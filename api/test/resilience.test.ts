// Dependencies failing under a running API: private Redis and Postgres instances, so that
// stopping them disturbs no other test file. Nothing here measures time: a probe must answer
// (a hung one never would) and say why; how fast is the benchmarks' business, and a loaded
// machine may take seconds over what a quiet one takes milliseconds for.

import {
  type PostgresServer,
  type RedisServer,
  startPostgres,
  startRedis,
  testServices,
} from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import pg from 'pg'
import { startTestApp, type TestApp } from './support/app.ts'
import { withFixture } from './support/fixture-module.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'
import { until } from './support/wait.ts'

// Waiting for dependencies to fail over and recover takes what it takes on a loaded machine.
jest.setTimeout(240_000)

/**
 * A request that gives up only long after every check's own 800 ms deadline: an answer
 * proves the probe did not hang on the dependency, whatever the machine's load.
 */
const get = (api: TestApp, path: string, init: RequestInit = {}) =>
  fetch(api.url + path, { ...init, signal: AbortSignal.timeout(30_000) })

/** The public /healthz status: ok, degraded or down. */
async function healthStatus(api: TestApp): Promise<string> {
  return ((await (await get(api, '/healthz')).json()) as { status: string }).status
}

describe('Redis stopped mid-test', () => {
  let redis: RedisServer
  let postgres: PostgresServer
  let api: TestApp

  beforeAll(async () => {
    ;[redis, postgres] = await Promise.all([startRedis(), startPostgres()])
    api = await startTestApp(
      { DATABASE_URL: await postgres.createDatabase('redis_outage'), REDIS_URL: redis.url },
      {
        modules: withFixture,
        rateLimits: {
          global: { points: 50, durationSeconds: 60, whenStoreDown: 'local' },
          login: { points: 100, durationSeconds: 60, whenStoreDown: 'reject' },
        },
      },
    )
  })
  afterAll(async () => {
    await api.close()
    await Promise.all([redis.stop(), postgres.stop()])
  })

  const login = () =>
    get(api, '/api/v1/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    })

  it('degrades, keeps serving what it can, and recovers without a restart', async () => {
    const session = await api.app.services.sessions.create({ userId: 'u1' })
    const withSession = { headers: { Cookie: `helpdesk_session=${session.id}` } }
    expect((await get(api, '/readyz')).status).toBe(200)
    expect((await login()).status).toBe(200)

    await redis.down()

    await until(async () => (await healthStatus(api)) === 'degraded')
    // Every pod shares the outage: it stays in service and answers for itself.
    expect((await get(api, '/readyz')).status).toBe(200)
    const health = await get(api, '/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'up' }, redis: { status: 'down' }, storage: { status: 'up' } },
    })
    const metrics = await fetch(`${api.metricsUrl}/metrics`)
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('redis_up 0')

    // The global limit falls back to per-process counting: public routes keep working.
    expect((await get(api, '/api/v1/instance')).status).toBe(200)
    // The login limit refuses rather than lift itself.
    const refused = await login()
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(await refused.json()).toMatchObject({ type: 'dependency_unavailable' })
    // Sessions live in Redis: a session request cannot be authenticated, and says why.
    const whoami = await get(api, '/api/v1/whoami', withSession)
    expect(whoami.status).toBe(503)

    await redis.up()

    await until(async () => (await healthStatus(api)) === 'ok')
    expect((await get(api, '/readyz')).status).toBe(200)
    expect((await login()).status).toBe(200)
    // The data of a restarted Redis (no persistence in the harness) is gone: a new session.
    const fresh = await api.app.services.sessions.create({ userId: 'u2' })
    const again = await get(api, '/api/v1/whoami', {
      headers: { Cookie: `helpdesk_session=${fresh.id}` },
    })
    expect(await again.json()).toEqual({ userId: 'u2', via: 'session' })
  })

  it('answers probes while Redis hangs', async () => {
    await redis.freeze()
    try {
      await until(async () => (await healthStatus(api)) === 'degraded')
      expect((await get(api, '/readyz')).status).toBe(200)
      expect((await get(api, '/livez')).status).toBe(200)
    } finally {
      await redis.thaw()
    }
    await until(async () => (await healthStatus(api)) === 'ok')
  })
})

describe('Postgres failing mid-test', () => {
  let postgres: PostgresServer
  let api: TestApp

  beforeAll(async () => {
    postgres = await startPostgres()
    const environment = { DATABASE_URL: await postgres.createDatabase('pg_outage') }
    api = await startTestApp(environment, { modules: withFixture })
  })
  afterAll(async () => {
    await api.close()
    await postgres.stop()
  })

  it('recovers after a restart', async () => {
    const before = await (await get(api, '/api/v1/instance')).json()
    await postgres.restart()
    await until(async () => (await get(api, '/api/v1/instance')).status === 200)
    expect(await (await get(api, '/api/v1/instance')).json()).toEqual(before)
    expect((await get(api, '/readyz')).status).toBe(200)
  })

  it('answers 503 while it is down, never 500, and recovers when it is back', async () => {
    await postgres.down()
    try {
      const response = await fetch(`${api.url}/api/v1/instance`)
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('5')
      expect(await response.json()).toMatchObject({ type: 'dependency_unavailable' })
      // Still in service: the pod answers 503 itself rather than leave clients refused.
      expect((await get(api, '/readyz')).status).toBe(200)
      const health = await get(api, '/healthz')
      expect(health.status).toBe(503)
      expect(await health.json()).toMatchObject({
        status: 'down',
        checks: { database: { status: 'down' } },
      })
    } finally {
      await postgres.up()
    }
    await until(async () => (await get(api, '/api/v1/instance')).status === 200)
  })
})

describe('Postgres hanging mid-test', () => {
  let proxy: TcpProxy
  let api: TestApp

  beforeAll(async () => {
    const postgres = testServices.postgres()
    proxy = await startTcpProxy(postgres.port)
    const url = new URL(await postgres.createDatabase('pg_hang'))
    url.port = String(proxy.port)
    api = await startTestApp({ DATABASE_URL: url.href }, { modules: withFixture })
  })
  afterAll(async () => {
    proxy.thaw()
    await api.close()
    await proxy.close()
  })

  it('answers every probe while the database hangs, and recovers when it answers again', async () => {
    expect((await get(api, '/readyz')).status).toBe(200)
    proxy.freeze()
    try {
      expect((await get(api, '/readyz')).status).toBe(200)
      const report = await fetch(`${api.metricsUrl}/healthz`)
      expect(await report.json()).toMatchObject({
        checks: { database: { status: 'down', detail: 'no answer within 800 ms' } },
      })
      const health = await get(api, '/healthz')
      expect(health.status).toBe(503)
      expect(await health.json()).toMatchObject({
        status: 'down',
        checks: { database: { status: 'down' } },
      })
      expect((await get(api, '/livez')).status).toBe(200)
      expect((await fetch(`${api.metricsUrl}/metrics`)).status).toBe(200)
    } finally {
      proxy.thaw()
    }
    await until(async () => (await get(api, '/api/v1/instance')).status === 200)
  })
})

describe('a connection lost inside a transaction', () => {
  it('is given back to the pool, so the API keeps working and closes', async () => {
    const url = await testServices.postgres().createDatabase('pg_lost')
    // One connection: if the dead one stayed checked out, nothing could query again.
    const api = await startTestApp({ DATABASE_URL: url, DATABASE_POOL_MAX: '1' }, { jobs: false })
    try {
      const failed = api.app.services.orm.em
        .fork()
        .transactional((tx) => tx.execute('select pg_sleep(600)'))
        .catch((error: unknown) => error)
      await terminateBackendRunning(url, 'select pg_sleep(600)')
      expect(await failed).toBeInstanceOf(Error)
      await until(async () => (await get(api, '/api/v1/instance')).status === 200)
    } finally {
      // Before the fix this waited forever for the dead connection (kysely-org/kysely#1990).
      await api.close()
    }
  })
})

/** Ends the backend that runs `query`, as a database restart or a failover would. */
async function terminateBackendRunning(url: string, query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await until(async () => {
      const { rows } = await admin.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
         where query = $1 and pid <> pg_backend_pid()`,
        [query],
      )
      return rows.length > 0
    })
  } finally {
    await admin.end()
  }
}
