import type { Redis } from 'ioredis'
import type { Logger } from '../observability/logger.ts'
import { parseRevocation, type Revocation, revocationChannel } from './redis-store.ts'
import { type Clock, type Session, type SessionStore, sessionKey } from './store.ts'

export interface SessionCacheOptions {
  /** How long a copy may serve requests without asking Redis again. */
  ttlMs: number
  /** @default 10_000 */
  maxEntries?: number
  now?: Clock
}

/** What the cache hears of revocations made anywhere. */
export interface RevocationFeed {
  /** True while every revocation is sure to be heard. */
  live(): boolean
  /** Sessions another process, or this one, ended, or whose actor changed. */
  onRevoked(listener: (revocation: Revocation) => void): void
  /** Revocations may have been missed (the subscription dropped or just began). */
  onInterrupted(listener: () => void): void
}

interface Entry {
  session: Session
  fetchedAt: number
}

/**
 * Copies of the Redis sessions this process read, kept for `ttlMs`, so most requests skip
 * the session round trip. Revocation reaches every process: the Redis store publishes the
 * keys it destroys in the same transaction as the delete, and each process's subscriber drops
 * its copies when the message comes. Copies are served only while that subscription is up (a
 * reconnect starts from an empty cache), a read that was in flight when a revocation arrived
 * is not kept, and no copy outlives `ttlMs`: a message lost in between costs at most that.
 * Reading from Redis again also renews an idle timeout, so it is renewed at least every
 * `ttlMs` while the session is in use. A copy is one object for its whole life: the
 * authenticator keeps the actor it made from it beside it (http/auth.ts), so `actorChanged`
 * drops copies the same way. A copy only ever allows: a request it would refuse is decided
 * again on `get(id, { fresh: true })` (`authorizedActor`), since the announcement of a grant
 * made elsewhere may still be on its way.
 */
export class CachedSessionStore implements SessionStore {
  readonly #inner: SessionStore
  readonly #ttlMs: number
  readonly #max: number
  readonly #now: Clock
  /** By session key (the hash the store indexes by, which revocations name). */
  readonly #entries = new Map<string, Entry>()
  readonly #feed: RevocationFeed
  /** Bumped by every revocation: a read that saw it change keeps nothing. */
  #generation = 0

  constructor(inner: SessionStore, feed: RevocationFeed, options: SessionCacheOptions) {
    this.#inner = inner
    this.#feed = feed
    this.#ttlMs = options.ttlMs
    this.#max = options.maxEntries ?? 10_000
    this.#now = options.now ?? Date.now
    feed.onRevoked((revocation) => this.#forget(revocation))
    feed.onInterrupted(() => this.#forget({ everyone: true }))
  }

  create(input: Parameters<SessionStore['create']>[0]): Promise<Session> {
    return this.#inner.create(input)
  }

  async get(id: string, options: { fresh?: boolean } = {}): Promise<Session | null> {
    const key = sessionKey(id)
    const now = this.#now()
    const entry = options.fresh ? undefined : this.#entries.get(key)
    if (entry && this.#feed.live() && now - entry.fetchedAt < this.#ttlMs) {
      if (entry.session.expiresAt > now) return entry.session
      this.#entries.delete(key)
      return null
    }
    this.#entries.delete(key)
    const generation = this.#generation
    const session = await this.#inner.get(id)
    if (session && generation === this.#generation && this.#feed.live()) {
      this.#entries.set(key, { session, fetchedAt: now })
      if (this.#entries.size > this.#max) this.#evictOldest()
    }
    return session
  }

  async destroy(id: string): Promise<void> {
    this.#forget({ keys: [sessionKey(id)] })
    await this.#inner.destroy(id)
  }

  async destroyForUser(userId: string, options: { keep?: string } = {}): Promise<number> {
    // The kept session's copy goes too: what its user may do has just changed.
    this.#forget({ userId })
    return this.#inner.destroyForUser(userId, options)
  }

  async actorChanged(userId?: string): Promise<void> {
    this.#forget(userId === undefined ? { everyone: true } : { userId })
    await this.#inner.actorChanged(userId)
  }

  #forget(revocation: Revocation): void {
    this.#generation++
    if ('keys' in revocation) {
      for (const key of revocation.keys) this.#entries.delete(key)
    } else if ('userId' in revocation) {
      for (const [key, entry] of this.#entries) {
        if (entry.session.userId === revocation.userId) this.#entries.delete(key)
      }
    } else {
      this.#entries.clear()
    }
  }

  #evictOldest(): void {
    const oldest = this.#entries.keys().next()
    if (!oldest.done) this.#entries.delete(oldest.value)
  }
}

/**
 * The revocations other processes publish, on a connection of its own (a subscribed
 * connection can do nothing else). `live()` is true from the moment the subscription is
 * confirmed until the connection drops.
 */
export function subscribeToRevocations(
  redis: Redis,
  logger: Logger,
): RevocationFeed & {
  close(): void
} {
  const channel = revocationChannel(redis)
  const subscriber = redis.duplicate({ autoResubscribe: false, enableOfflineQueue: true })
  const revoked: ((revocation: Revocation) => void)[] = []
  const interrupted: (() => void)[] = []
  let live = false
  const drop = () => {
    if (!live) return
    live = false
    for (const listener of interrupted) listener()
  }
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return
    const revocation = parseRevocation(message)
    for (const listener of revoked) listener(revocation)
  })
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        for (const listener of interrupted) listener()
        live = true
      },
      (error: Error) => logger.warn({ err: error }, 'session revocation subscription failed'),
    )
  })
  subscriber.on('close', drop)
  // The main connection logs Redis errors; this one must only not crash the process.
  subscriber.on('error', () => {})
  subscriber.connect().catch(() => {})
  return {
    live: () => live,
    onRevoked: (listener) => revoked.push(listener),
    onInterrupted: (listener) => interrupted.push(listener),
    close: () => {
      drop()
      subscriber.disconnect()
    },
  }
}
