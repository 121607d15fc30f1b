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

/** Embedded mode: sessions in this process, lost on restart (users sign in again). */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>()
  /** When each session was last read, for idle timeouts. */
  readonly #lastSeen = new Map<string, number>()

  async create(input: NewSession): Promise<Session> {
    this.#dropExpired()
    const session = newSession(input)
    this.#sessions.set(sessionKey(session.id), toStored(session))
    this.#lastSeen.set(sessionKey(session.id), session.createdAt)
    return session
  }

  async get(id: string): Promise<Session | null> {
    const key = sessionKey(id)
    const stored = this.#sessions.get(key)
    if (!stored) return null
    const now = Date.now()
    const lastSeen = this.#lastSeen.get(key) ?? stored.createdAt
    if (now - lastSeen >= remainingLifeMs(stored, lastSeen)) {
      this.#forget(key)
      return null
    }
    this.#lastSeen.set(key, now)
    return { id, ...structuredClone(stored) }
  }

  async destroy(id: string): Promise<void> {
    this.#forget(sessionKey(id))
  }

  async destroyForUser(userId: string, options: { keep?: string } = {}): Promise<number> {
    const kept = options.keep === undefined ? undefined : sessionKey(options.keep)
    let count = 0
    for (const [key, stored] of this.#sessions) {
      if (stored.userId === userId && key !== kept) {
        this.#forget(key)
        count++
      }
    }
    return count
  }

  #dropExpired(): void {
    const now = Date.now()
    for (const [key, stored] of this.#sessions) {
      if (stored.expiresAt <= now) this.#forget(key)
    }
  }

  #forget(key: string): void {
    this.#sessions.delete(key)
    this.#lastSeen.delete(key)
  }
}
