import {
  type NewSession,
  newSession,
  remainingLifeMs,
  type Session,
  type SessionStore,
  type StoredSession,
  sessionKey,
  toStored,
} from './store.ts'

export interface MemorySessionStoreOptions {
  /** At most this many sessions; the least recently used goes first. @default 50_000 */
  maxSessions?: number
  /** @default Date.now */
  now?: () => number
}

interface Entry {
  stored: StoredSession
  lastSeen: number
}

/** Sessions looked at per create for idle or expired ones: work per request stays constant. */
const SWEEP_PER_CREATE = 8

/**
 * Embedded mode: sessions in this process, lost on restart (users sign in again). Memory is
 * bounded: entries are kept in order of last use, so each sign-in drops idle ones from the
 * front a few at a time, and the least recently used go once `maxSessions` is reached. A
 * user's sessions are indexed: neither signing in nor "end all of them" scans everyone's.
 */
export class MemorySessionStore implements SessionStore {
  /** Least recently used first (a read moves its entry to the end). */
  readonly #entries = new Map<string, Entry>()
  readonly #byUser = new Map<string, Set<string>>()
  readonly #max: number
  readonly #now: () => number

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#max = options.maxSessions ?? 50_000
    this.#now = options.now ?? Date.now
  }

  /** Sessions held right now (live, or expired and not swept yet). */
  get size(): number {
    return this.#entries.size
  }

  async create(input: NewSession): Promise<Session> {
    const now = this.#now()
    this.#sweep(now)
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next()
      if (oldest.done) break
      this.#forget(oldest.value)
    }
    const session = newSession(input, now)
    const key = sessionKey(session.id)
    this.#entries.set(key, { stored: toStored(session), lastSeen: now })
    let keys = this.#byUser.get(session.userId)
    if (!keys) {
      keys = new Set()
      this.#byUser.set(session.userId, keys)
    }
    keys.add(key)
    return session
  }

  async get(id: string): Promise<Session | null> {
    const key = sessionKey(id)
    const entry = this.#entries.get(key)
    if (!entry) return null
    const now = this.#now()
    if (this.#expired(entry, now)) {
      this.#forget(key)
      return null
    }
    this.#entries.delete(key)
    this.#entries.set(key, { ...entry, lastSeen: now })
    return { id, ...structuredClone(entry.stored) }
  }

  async destroy(id: string): Promise<void> {
    this.#forget(sessionKey(id))
  }

  async destroyForUser(userId: string, options: { keep?: string } = {}): Promise<number> {
    const kept = options.keep === undefined ? undefined : sessionKey(options.keep)
    let count = 0
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      if (key === kept) continue
      this.#forget(key)
      count++
    }
    return count
  }

  /** Nothing to do: reads return a new session each time, so no actor is kept from one. */
  async actorChanged(_userId?: string): Promise<void> {}

  #expired(entry: Entry, now: number): boolean {
    return now - entry.lastSeen >= remainingLifeMs(entry.stored, entry.lastSeen)
  }

  /**
   * Sessions are in order of last use, and every sign-in gives the same idle timeout: the
   * idle ones are at the front. Drops a few of them, stopping at the first live one.
   */
  #sweep(now: number): void {
    for (let looked = 0; looked < SWEEP_PER_CREATE; looked++) {
      const first = this.#entries.entries().next()
      if (first.done || !this.#expired(first.value[1], now)) return
      this.#forget(first.value[0])
    }
  }

  #forget(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    const keys = this.#byUser.get(entry.stored.userId)
    keys?.delete(key)
    if (keys?.size === 0) this.#byUser.delete(entry.stored.userId)
  }
}
