import type { Redis } from 'ioredis'
import {
  type NewSession,
  newSession,
  type Session,
  type SessionStore,
  type StoredSession,
  sessionKey,
  toStored,
} from './store.ts'

const sessionRecord = (key: string) => `session:${key}`
const userIndex = (userId: string) => `session-user:${userId}`

/** Sessions in Redis with a TTL, plus a per-user index so all of a user's sessions can end. */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis

  constructor(redis: Redis) {
    this.#redis = redis
  }

  async create(input: NewSession): Promise<Session> {
    const session = newSession(input)
    const key = sessionKey(session.id)
    const ttlMs = session.expiresAt - session.createdAt
    await this.#redis
      .multi()
      .set(sessionRecord(key), JSON.stringify(toStored(session)), 'PX', ttlMs)
      .sadd(userIndex(session.userId), key)
      // The index lives as long as the user's newest session; stale members are harmless.
      .pexpire(userIndex(session.userId), ttlMs, 'GT')
      .pexpire(userIndex(session.userId), ttlMs, 'NX')
      .exec()
      .then(throwOnFailedCommand)
    return session
  }

  async get(id: string): Promise<Session | null> {
    const raw = await this.#redis.get(sessionRecord(sessionKey(id)))
    if (!raw) return null
    const stored = JSON.parse(raw) as StoredSession
    if (stored.expiresAt <= Date.now()) return null
    return { id, ...stored }
  }

  async destroy(id: string): Promise<void> {
    const key = sessionKey(id)
    const raw = await this.#redis.get(sessionRecord(key))
    const multi = this.#redis.multi().del(sessionRecord(key))
    if (raw) multi.srem(userIndex((JSON.parse(raw) as StoredSession).userId), key)
    await multi.exec().then(throwOnFailedCommand)
  }

  async destroyForUser(userId: string): Promise<number> {
    const keys = await this.#redis.smembers(userIndex(userId))
    if (keys.length === 0) return 0
    const results = await this.#redis
      .multi()
      .del(...keys.map(sessionRecord))
      .del(userIndex(userId))
      .exec()
      .then(throwOnFailedCommand)
    return Number(results[0])
  }
}

/** MULTI reports per-command errors in its result instead of rejecting. */
function throwOnFailedCommand(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('Redis transaction was aborted')
  return results.map(([error, value]) => {
    if (error) throw error
    return value
  })
}
