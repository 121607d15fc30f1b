import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createLoggers } from '../src/observability/logger.ts'
import {
  externalEnvironment,
  migratedEnvironment,
  startTestApp,
  type TestApp,
} from './support/app.ts'
import { withFixture } from './support/fixture-module.ts'
import {
  killServerProcesses,
  logLines,
  SERVE_WITH_FIXTURE,
  startServerProcess,
} from './support/process.ts'
import { until } from './support/wait.ts'

let api: TestApp

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment(), { modules: withFixture })
})
afterAll(() => api.close())
afterEach(killServerProcesses)

/** Access lines and metrics are recorded once a response has gone out: wait for that. */
const recorded = (requestId: string) =>
  until(() => api.logs.some((line) => line.requestId === requestId))

describe('access log', () => {
  it('reaches a served process’s stdout, written in batches, without waiting for more traffic and all of it at exit', async () => {
    const server = await startServerProcess(SERVE_WITH_FIXTURE, {
      ...(await migratedEnvironment()),
      LOG_LEVEL: 'info',
    })
    const linesOf = (requestId: string) =>
      logLines(server.stdout()).filter((line) => line.requestId === requestId)
    // One short line would never fill a batch: only the periodic flush brings it out.
    await fetch(`${server.url}/livez`, { headers: { 'X-Request-Id': 'alone-1' } })
    await until(() => linesOf('alone-1').length === 1)

    for (let request = 0; request < 5; request++) {
      await fetch(`${server.url}/livez`, { headers: { 'X-Request-Id': 'before-exit' } })
    }
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(linesOf('before-exit')).toHaveLength(5)
  })

  it('writes one JSON line per request with the seed’s fields, request id and user id', async () => {
    const session = await api.app.services.sessions.create({ userId: 'user-42' })
    await fetch(`${api.url}/api/v1/whoami?token=secret-in-query`, {
      headers: {
        Cookie: `helpdesk_session=${session.id}`,
        'User-Agent': 'access-log-test/1.0',
        'X-Request-Id': 'access-1',
      },
    })
    await recorded('access-1')
    const lines = api.logs.filter((line) => line.requestId === 'access-1')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'helpdesk-api',
      access: true,
      clientIp: expect.stringMatching(/127\.0\.0\.1$/),
      method: 'GET',
      path: '/api/v1/whoami',
      route: '/api/v1/whoami',
      status: 200,
      responseTimeMs: expect.any(Number),
      userAgent: 'access-log-test/1.0',
      requestId: 'access-1',
      userId: 'user-42',
      completed: true,
      msg: 'request',
    })
    expect(JSON.stringify(api.logs)).not.toContain(session.id)
    expect(JSON.stringify(api.logs)).not.toContain('secret-in-query')
  })

  it('redacts passwords, tokens, cookies and authorization headers in any logged object', () => {
    const lines: string[] = []
    const logger = createLoggers('info', { write: (line: string) => void lines.push(line) }).app
    logger.info(
      {
        password: 'hunter2',
        body: { password: 'hunter3', totp: '123456', csrfToken: 'csrf' },
        req: {
          headers: { authorization: 'Bearer abc', cookie: 'helpdesk_session=xyz', accept: '*/*' },
        },
        token: 'tok',
      },
      'with secrets',
    )
    const line = JSON.parse(lines[0] as string)
    expect(line).toMatchObject({
      password: '[redacted]',
      token: '[redacted]',
      body: { password: '[redacted]', totp: '[redacted]', csrfToken: '[redacted]' },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } },
    })
    expect(lines[0]).not.toMatch(/hunter|Bearer abc|xyz|"tok"/)
  })
})

describe('/metrics', () => {
  it('exports request durations by route template and status, and the process figures', async () => {
    await fetch(`${api.url}/api/v1/things/6a0c2d9e-3f1b-4e8a-9c7d-5b4a3e2f1d0c`, { method: 'POST' })
    await fetch(`${api.url}/api/v1/instance`)
    await fetch(`${api.url}/api/v1/no-such/path/${Date.now()}`)
    await fetch(`${api.url}/api/v1/boom`, { headers: { 'X-Request-Id': 'metrics-last' } })
    await recorded('metrics-last')
    const metrics = await (await fetch(`${api.metricsUrl}/metrics`)).text()
    expect(metrics).toContain(
      'http_request_duration_seconds_count{method="POST",route="/api/v1/things/:id",status="401"} 1',
    )
    expect(metrics).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/instance",status="200"} 1',
    )
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} \d+/,
    )
    expect(metrics).toContain('http_errors_total{type="internal_error",status="500"} 1')
    expect(metrics).toContain('http_errors_total{type="unauthenticated",status="401"} 1')
    // The scrape is not an API request: it runs on the metrics port.
    expect(metrics).toMatch(/^http_requests_in_flight 0$/m)
    expect(metrics).toMatch(/^db_pool_connections_max 10$/m)
    expect(metrics).toMatch(/^db_pool_connections_total [1-9]\d*$/m)
    expect(metrics).toMatch(/^db_pool_connections_idle \d+$/m)
    expect(metrics).toMatch(/^db_pool_requests_waiting 0$/m)
    expect(metrics).toMatch(/^redis_up 1$/m)
    expect(metrics).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m)
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m)
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes \d+$/m)
  })
})

describe('the metrics port and the probes', () => {
  it('serves metrics and the detailed health report on its own port only', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404)
    expect((await fetch(`${api.metricsUrl}/metrics`)).status).toBe(200)
    const report = (await (await fetch(`${api.metricsUrl}/healthz`)).json()) as Record<
      string,
      unknown
    >
    expect(report).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      checks: {
        // What each dependency is, in so many words: the System page names them from these.
        database: { mode: 'postgres' },
        redis: { mode: 'redis' },
        storage: {
          mode: 'local',
          location: expect.stringMatching(/^file:\/\//),
          latencyMs: expect.any(Number),
        },
      },
    })
  })

  it('tells anonymous callers of /healthz and /readyz up or down, nothing about the setup', async () => {
    const health = await (await fetch(`${api.url}/healthz`)).json()
    expect(health).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, storage: { status: 'up' } },
    })
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'ready' })
  })
})
