// Rate limits against the real stores. The windows are long enough that a burst of requests
// always falls into one, however loaded the machine; recovery is waited for, not timed.
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Redis } from 'ioredis'
import { HttpError } from '../src/errors.ts'
import { RateLimits } from '../src/platform/rate-limits.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from './support/app.ts'
import { withFixture } from './support/fixture-module.ts'
import { until } from './support/wait.ts'

const GLOBAL_WINDOW_SECONDS = 10

describe.each(MODES)('%s', (mode) => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      modules: withFixture,
      rateLimits: {
        global: { points: 5, durationSeconds: GLOBAL_WINDOW_SECONDS, whenStoreDown: 'local' },
        login: { points: 2, durationSeconds: 60, whenStoreDown: 'reject' },
      },
    })
  })
  afterAll(() => api.close())

  const fromClient = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } })

  describe('the global per-IP limit', () => {
    it('answers 429 with Retry-After once spent, and serves again after the window', async () => {
      // Without a trusted proxy every test request comes from 127.0.0.1: one shared budget.
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) {
        statuses.push((await fetch(`${api.url}/api/v1/instance`)).status)
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
      const limited = await fetch(`${api.url}/api/v1/instance`)
      expect(limited.status).toBe(429)
      const retryAfter = Number(limited.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(GLOBAL_WINDOW_SECONDS)
      expect(await limited.json()).toMatchObject({ type: 'rate_limited', status: 429 })

      // Probes are never limited: Kubernetes must always reach them (metrics have a port of
      // their own, without limits).
      for (const path of ['/livez', '/readyz', '/healthz']) {
        expect((await fetch(api.url + path)).status).toBe(200)
      }

      // The window passes (the test's timeout bounds the wait): served again.
      await until(async () => (await fetch(`${api.url}/api/v1/instance`)).status === 200, 250)
    })
  })

  describe('a named limit', () => {
    it('limits per account and per client address', async () => {
      // Every test request comes from 127.0.0.1: give the global budget back first.
      await api.app.services.rateLimits.reset('global', '127.0.0.1')
      const attempt = (email: string) =>
        fetch(`${api.url}/api/v1/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...fromClient('192.0.2.1').headers },
          body: JSON.stringify({ email }),
        })
      expect((await attempt('ada@example.com')).status).toBe(200)
      expect((await attempt('ada@example.com')).status).toBe(200)
      const limited = await attempt('ada@example.com')
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50)
      // The client address is spent too (same IP without a trusted proxy), whatever the account.
      expect((await attempt('grace@example.com')).status).toBe(429)
      await api.app.services.rateLimits.reset('login', 'ip:127.0.0.1')
      await api.app.services.rateLimits.reset('login', 'account:grace@example.com')
      expect((await attempt('grace@example.com')).status).toBe(200)
    })
  })
})

// Points taken from Redis `batch` at a time: two RateLimits over one Redis are two processes.
// The window is an hour, so it never ends during the test; the lease's end is moved by a clock.
describe('a limit taken in batches', () => {
  const service = testServices.redis()
  const redis = new Redis(service.url, { keyPrefix: service.keyPrefix('rate-batches') })
  afterAll(() => redis.quit())

  const rules = {
    busy: { points: 20, durationSeconds: 3600, whenStoreDown: 'local', batch: 5 },
  } as const
  const sharedCount = async (key: string) => Number(await redis.get(`rate:busy:${key}`))
  /** Spends until refused; how many were served. */
  const spendAll = async (limits: RateLimits, key: string) => {
    for (let served = 0; ; served++) {
      const refusal = await limits.consume('busy', key).catch((error: unknown) => error)
      if (refusal) {
        expect(refusal).toBeInstanceOf(HttpError)
        expect((refusal as HttpError).type).toBe('rate_limited')
        return served
      }
    }
  }

  it('asks Redis once per batch, and the processes together never pass the limit', async () => {
    const first = new RateLimits(rules, redis)
    const second = new RateLimits(rules, redis)
    for (let i = 0; i < 3; i++) await first.consume('busy', 'client')
    expect(await sharedCount('client')).toBe(5)

    // The second process gets what the first has not taken; the first still has 2 of its 5.
    expect(await spendAll(second, 'client')).toBe(15)
    expect(await spendAll(first, 'client')).toBe(2)
  })

  it('takes what is left when the count passes the limit within a batch', async () => {
    const limits = new RateLimits(rules, redis)
    await redis.set('rate:busy:nearly-spent', '18', 'EX', 3600)
    expect(await spendAll(limits, 'nearly-spent')).toBe(2)
  })

  it('asks Redis again once the window a lease was taken in has ended', async () => {
    let now = Date.now()
    const limits = new RateLimits(rules, redis, { now: () => now })
    await limits.consume('busy', 'returning')
    expect(await sharedCount('returning')).toBe(5)
    now += 3600 * 1000
    await limits.consume('busy', 'returning')
    expect(await sharedCount('returning')).toBe(10)
  })

  it('gives refunds back to the lease, and a reset forgets both the lease and the count', async () => {
    const limits = new RateLimits(rules, redis)
    await limits.consume('busy', 'forgiven')
    await limits.refund('busy', 'forgiven')
    expect(await spendAll(limits, 'forgiven')).toBe(20)
    await limits.reset('busy', 'forgiven')
    expect(await redis.exists('rate:busy:forgiven')).toBe(0)
    expect(await spendAll(limits, 'forgiven')).toBe(20)
  })
})
