// One contract, both session stores: Redis (production) and memory (embedded mode). Time
// moves by a manual clock, and in Redis by shortening the record's TTL as the clock moves:
// no test waits for a timeout, so none depends on how fast the machine is.

import { testServices } from '@helpdesk/harness'
import { afterAll, describe, expect, it } from '@jest/globals'
import { Redis } from 'ioredis'
import { MemorySessionStore } from '../src/sessions/memory-store.ts'
import { RedisSessionStore } from '../src/sessions/redis-store.ts'
import { type SessionStore, sessionKey } from '../src/sessions/store.ts'

const redisService = testServices.redis()
const redis = new Redis(redisService.url, { keyPrefix: redisService.keyPrefix('sessions') })
afterAll(() => redis.quit())

interface Timed {
  store: SessionStore
  /** Lets `ms` pass for the store (and for the Redis record of `id`). */
  elapse(id: string, ms: number): Promise<void>
}

function manualClock() {
  let now = Date.now()
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

/** Redis counts a record's life down by itself: time passing is its TTL going down. */
async function elapseInRedis(id: string, ms: number): Promise<void> {
  const key = `session:${sessionKey(id)}`
  const left = await redis.pttl(key)
  if (left > ms) {
    await redis.pexpire(key, left - ms)
    return
  }
  await redis.del(key)
}

const stores: [string, () => Timed][] = [
  [
    'redis',
    () => {
      const clock = manualClock()
      return {
        store: new RedisSessionStore(redis, clock.now),
        elapse: async (id, ms) => {
          clock.advance(ms)
          await elapseInRedis(id, ms)
        },
      }
    },
  ],
  [
    'memory',
    () => {
      const clock = manualClock()
      return {
        store: new MemorySessionStore({ now: clock.now }),
        elapse: async (_id, ms) => clock.advance(ms),
      }
    },
  ],
]

describe.each(stores)('%s session store', (_name, makeStore) => {
  const { store, elapse } = makeStore()

  it('creates a session with unguessable id and CSRF token and reads it back', async () => {
    const session = await store.create({ userId: 'u1', data: { mfa: true } })
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(session.csrfToken).not.toBe(session.id)
    expect(session.expiresAt - session.createdAt).toBe(12 * 60 * 60 * 1000)
    expect(await store.get(session.id)).toEqual(session)
  })

  it('knows nothing of an unknown id', async () => {
    expect(await store.get('A'.repeat(43))).toBeNull()
  })

  it('expires sessions after their time to live', async () => {
    const session = await store.create({ userId: 'u2', ttlSeconds: 600 })
    await elapse(session.id, 590_000)
    expect(await store.get(session.id)).not.toBeNull()
    await elapse(session.id, 10_000)
    expect(await store.get(session.id)).toBeNull()
  })

  it('ends a session left unused for its idle timeout; each read renews it', async () => {
    const session = await store.create({ userId: 'u8', idleSeconds: 600 })
    for (let read = 0; read < 3; read++) {
      await elapse(session.id, 590_000)
      expect(await store.get(session.id)).toMatchObject({ idleTimeoutMs: 600_000 })
    }
    await elapse(session.id, 600_000)
    expect(await store.get(session.id)).toBeNull()
  })

  it('never renews a session past its absolute expiry', async () => {
    const session = await store.create({ userId: 'u9', ttlSeconds: 1200, idleSeconds: 600 })
    await elapse(session.id, 590_000)
    expect(await store.get(session.id)).not.toBeNull()
    await elapse(session.id, 590_000)
    // Twenty seconds of its life are left: the read renews it for those, not ten minutes.
    expect(await store.get(session.id)).not.toBeNull()
    await elapse(session.id, 20_000)
    expect(await store.get(session.id)).toBeNull()
  })

  it('destroys one session', async () => {
    const session = await store.create({ userId: 'u3' })
    await store.destroy(session.id)
    expect(await store.get(session.id)).toBeNull()
    await store.destroy(session.id)
  })

  it('destroys every session of one user and no other', async () => {
    const first = await store.create({ userId: 'u4' })
    const second = await store.create({ userId: 'u4' })
    const other = await store.create({ userId: 'u5' })
    expect(await store.destroyForUser('u4')).toBe(2)
    expect(await store.get(first.id)).toBeNull()
    expect(await store.get(second.id)).toBeNull()
    expect(await store.get(other.id)).not.toBeNull()
    expect(await store.destroyForUser('u4')).toBe(0)
  })

  it('ends all sessions of a user but the one it keeps', async () => {
    const current = await store.create({ userId: 'u7' })
    const elsewhere = await store.create({ userId: 'u7' })
    expect(await store.destroyForUser('u7', { keep: current.id })).toBe(1)
    expect(await store.get(current.id)).not.toBeNull()
    expect(await store.get(elsewhere.id)).toBeNull()
    expect(await store.destroyForUser('u7')).toBe(1)
    expect(await store.get(current.id)).toBeNull()
  })

  it('refuses a nonsensical time to live', async () => {
    await expect(store.create({ userId: 'u6', ttlSeconds: 0 })).rejects.toThrow('ttlSeconds')
    await expect(store.create({ userId: 'u6', idleSeconds: 0.5 })).rejects.toThrow('idleSeconds')
  })
})

describe('Redis session records', () => {
  it('hold a hash of the id, never the cookie value, and expire in Redis', async () => {
    const session = await new RedisSessionStore(redis).create({ userId: 'u7' })
    expect(await redis.exists(`session:${session.id}`)).toBe(0)
    const raw = await redis.get(`session:${sessionKey(session.id)}`)
    expect(raw).not.toContain(session.id)
    expect(await redis.pttl(`session:${sessionKey(session.id)}`)).toBeGreaterThan(11 * 3600 * 1000)
  })

  it('live only as long as their idle timeout in Redis, renewed on each read', async () => {
    const store = new RedisSessionStore(redis)
    const session = await store.create({ userId: 'u10', idleSeconds: 60 })
    const key = `session:${sessionKey(session.id)}`
    expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000)
    await redis.pexpire(key, 5_000)
    await store.get(session.id)
    expect(await redis.pttl(key)).toBeGreaterThan(50_000)
  })
})

describe('memory session store bounds', () => {
  const clock = (start = Date.parse('2026-12-06T12:00:00Z')) => {
    let now = start
    return { now: () => now, advance: (ms: number) => (now += ms) }
  }

  it('drops idle sessions as new ones start, instead of keeping them to their expiry', async () => {
    const time = clock()
    const store = new MemorySessionStore({ now: time.now })
    for (let i = 0; i < 5; i++) await store.create({ userId: `idle${i}`, idleSeconds: 60 })
    expect(store.size).toBe(5)
    time.advance(61_000)
    await store.create({ userId: 'fresh', idleSeconds: 60 })
    expect(store.size).toBe(1)
  })

  it('holds at most maxSessions, letting the least recently used go', async () => {
    const store = new MemorySessionStore({ maxSessions: 3, now: clock().now })
    const [first, second] = [
      await store.create({ userId: 'a' }),
      await store.create({ userId: 'b' }),
    ]
    await store.create({ userId: 'c' })
    await store.get(first.id)
    await store.create({ userId: 'd' })
    expect(store.size).toBe(3)
    expect(await store.get(second.id)).toBeNull()
    expect(await store.get(first.id)).not.toBeNull()
  })

  it('ends one user’s sessions without touching the others', async () => {
    const store = new MemorySessionStore({ now: clock().now })
    for (let i = 0; i < 3; i++) await store.create({ userId: 'one' })
    const other = await store.create({ userId: 'other' })
    expect(await store.destroyForUser('one')).toBe(3)
    expect(store.size).toBe(1)
    expect(await store.get(other.id)).not.toBeNull()
  })
})
