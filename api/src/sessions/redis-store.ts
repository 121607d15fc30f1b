import type { Redis } from 'ioredis'
import {
  type Clock,
  type NewSession,
  newSession,
  remainingLifeMs,
  type Session,
  type SessionStore,
  type StoredSession,
  sessionKey,
  toStored,
} from './store.ts'

const sessionRecord = (key: string) => `session:${key}`
const userIndex = (userId: string) => `session-user:${userId}`

/**
 * Where ended sessions and changed actors are announced, for the processes that keep copies
 * of sessions (cache.ts). Channels are not keys: the key prefix is added here.
 */
export function revocationChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}session-revoked`
}

/** What a message on the channel names: sessions by key, one user's sessions, or everyone's. */
export type Revocation = { keys: string[] } | { userId: string } | { everyone: true }

const EVERYONE = '*'
const USER = 'user:'

function revocationMessage(revocation: Revocation): string {
  if ('keys' in revocation) return revocation.keys.join(',')
  return 'userId' in revocation ? `${USER}${revocation.userId}` : EVERYONE
}

export function parseRevocation(message: string): Revocation {
  if (message === EVERYONE) return { everyone: true }
  if (message.startsWith(USER)) return { userId: message.slice(USER.length) }
  return { keys: message.split(',') }
}

/**
 * Reads a session and, when it has an idle timeout, renews its time to live in the same step
 * (never beyond its absolute expiry): one round trip per request.
 */
const READ_AND_RENEW = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ok, record = pcall(cjson.decode, raw)
if ok and type(record.idleTimeoutMs) == 'number' then
  local ttl = math.floor(math.min(record.idleTimeoutMs, record.expiresAt - tonumber(ARGV[1])))
  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
end
return raw`

interface RenewingRedis extends Redis {
  readSession(key: string, now: number): Promise<string | null>
}

/** Sessions in Redis with a TTL, plus a per-user index so all of a user's sessions can end. */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RenewingRedis
  readonly #now: Clock
  readonly #channel: string

  constructor(redis: Redis, now: Clock = Date.now) {
    this.#now = now
    this.#channel = revocationChannel(redis)
    if (!('readSession' in redis)) {
      redis.defineCommand('readSession', { numberOfKeys: 1, lua: READ_AND_RENEW })
    }
    this.#redis = redis as RenewingRedis
  }

  async create(input: NewSession): Promise<Session> {
    const session = newSession(input, this.#now())
    const key = sessionKey(session.id)
    const ttlMs = session.expiresAt - session.createdAt
    await this.#redis
      .multi()
      .set(
        sessionRecord(key),
        JSON.stringify(toStored(session)),
        'PX',
        remainingLifeMs(session, session.createdAt),
      )
      .sadd(userIndex(session.userId), key)
      // The index lives as long as the user's newest session; stale members are harmless.
      .pexpire(userIndex(session.userId), ttlMs, 'GT')
      .pexpire(userIndex(session.userId), ttlMs, 'NX')
      .exec()
      .then(throwOnFailedCommand)
    return session
  }

  async get(id: string): Promise<Session | null> {
    const now = this.#now()
    const raw = await this.#redis.readSession(sessionRecord(sessionKey(id)), now)
    if (!raw) return null
    const stored = JSON.parse(raw) as StoredSession
    if (stored.expiresAt <= now) return null
    return { id, ...stored }
  }

  async destroy(id: string): Promise<void> {
    const key = sessionKey(id)
    const raw = await this.#redis.get(sessionRecord(key))
    const multi = this.#redis.multi().del(sessionRecord(key))
    if (raw) multi.srem(userIndex((JSON.parse(raw) as StoredSession).userId), key)
    await multi
      .publish(this.#channel, revocationMessage({ keys: [key] }))
      .exec()
      .then(throwOnFailedCommand)
  }

  async destroyForUser(userId: string, options: { keep?: string } = {}): Promise<number> {
    const kept = options.keep === undefined ? undefined : sessionKey(options.keep)
    const keys = (await this.#redis.smembers(userIndex(userId))).filter((key) => key !== kept)
    if (keys.length === 0) return 0
    const results = await this.#redis
      .multi()
      .del(...keys.map(sessionRecord))
      .srem(userIndex(userId), ...keys)
      // Every copy of the user's sessions, the kept one too: what they may do just changed.
      .publish(this.#channel, revocationMessage({ userId }))
      .exec()
      .then(throwOnFailedCommand)
    return Number(results[0])
  }

  async actorChanged(userId?: string): Promise<void> {
    const revocation = userId === undefined ? { everyone: true as const } : { userId }
    await this.#redis.publish(this.#channel, revocationMessage(revocation))
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
