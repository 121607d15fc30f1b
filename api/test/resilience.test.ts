// Dependencies failing under a running API: private Redis and Postgres instances, so that
// stopping them disturbs no other test file.

import {
  type PostgresServer,
  type RedisServer,
  startPostgres,
  startRedis,
  testServices,
} from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startTestApp, type TestApp } from './support/app.ts'
import { withFixture } from './support/fixture-module.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'

const get = (api: TestApp, path: string, init: RequestInit = {}) =>
  // Every probe must answer within 1 s, even with a dependency hung: fetch aborts otherwise.
  fetch(api.url + path, { ...init, signal: AbortSignal.timeout(1_000) })

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
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

    await eventually(async () => (await get(api, '/readyz')).status === 503)
    const readiness = await get(api, '/readyz')
    expect(await readiness.json()).toMatchObject({
      type: 'dependency_unavailable',
      detail: expect.stringContaining('redis'),
    })
    const health = await get(api, '/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'up' }, redis: { status: 'down' }, storage: { status: 'up' } },
    })
    expect((await get(api, '/metrics')).status).toBe(200)
    expect(await (await get(api, '/metrics')).text()).toContain('redis_up 0')

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

    await eventually(async () => (await get(api, '/readyz')).status === 200)
    expect(await (await get(api, '/healthz')).json()).toMatchObject({ status: 'ok' })
    expect((await login()).status).toBe(200)
    // The data of a restarted Redis (no persistence in the harness) is gone: a new session.
    const fresh = await api.app.services.sessions.create({ userId: 'u2' })
    const again = await get(api, '/api/v1/whoami', {
      headers: { Cookie: `helpdesk_session=${fresh.id}` },
    })
    expect(await again.json()).toEqual({ userId: 'u2', via: 'session' })
  })

  it('answers probes within 1 s while Redis hangs', async () => {
    await redis.freeze()
    try {
      await eventually(async () => (await get(api, '/readyz')).status === 503)
      expect(await (await get(api, '/healthz')).json()).toMatchObject({ status: 'degraded' })
      expect((await get(api, '/livez')).status).toBe(200)
    } finally {
      await redis.thaw()
    }
    await eventually(async () => (await get(api, '/readyz')).status === 200)
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
    await eventually(async () => (await get(api, '/api/v1/instance')).status === 200)
    expect(await (await get(api, '/api/v1/instance')).json()).toEqual(before)
    expect((await get(api, '/readyz')).status).toBe(200)
  })

  it('answers 503 while it is down, never 500, and recovers when it is back', async () => {
    await postgres.down()
    try {
      const response = await fetch(`${api.url}/api/v1/instance`)
      expect(response.status).toBe(503)
      expect(await response.json()).toMatchObject({ type: 'dependency_unavailable' })
      expect((await get(api, '/readyz')).status).toBe(503)
      const health = await get(api, '/healthz')
      expect(health.status).toBe(503)
      expect(await health.json()).toMatchObject({
        status: 'down',
        checks: { database: { status: 'down' } },
      })
    } finally {
      await postgres.up()
    }
    await eventually(async () => (await get(api, '/readyz')).status === 200)
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

  it('answers every probe within 1 s, and recovers when the database answers again', async () => {
    expect((await get(api, '/readyz')).status).toBe(200)
    proxy.freeze()
    try {
      const readiness = await get(api, '/readyz')
      expect(readiness.status).toBe(503)
      expect(await readiness.json()).toMatchObject({
        detail: expect.stringContaining('database: no answer within 800 ms'),
      })
      const health = await get(api, '/healthz')
      expect(health.status).toBe(503)
      expect(await health.json()).toMatchObject({
        status: 'down',
        checks: { database: { status: 'down' } },
      })
      expect((await get(api, '/livez')).status).toBe(200)
      expect((await get(api, '/metrics')).status).toBe(200)
    } finally {
      proxy.thaw()
    }
    await eventually(async () => (await get(api, '/readyz')).status === 200)
    expect((await get(api, '/api/v1/instance')).status).toBe(200)
  })
})
