import {
  type NewSession,
  newSession,
  type Session,
  type SessionStore,
  type StoredSession,
  sessionKey,
  toStored,
} from './store.ts'

/** Embedded mode: sessions in this process, lost on restart (users sign in again). */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>()

  async create(input: NewSession): Promise<Session> {
    this.#dropExpired()
    const session = newSession(input)
    this.#sessions.set(sessionKey(session.id), toStored(session))
    return session
  }

  async get(id: string): Promise<Session | null> {
    const key = sessionKey(id)
    const stored = this.#sessions.get(key)
    if (!stored) return null
    if (stored.expiresAt <= Date.now()) {
      this.#sessions.delete(key)
      return null
    }
    return { id, ...structuredClone(stored) }
  }

  async destroy(id: string): Promise<void> {
    this.#sessions.delete(sessionKey(id))
  }

  async destroyForUser(userId: string): Promise<number> {
    let count = 0
    for (const [key, stored] of this.#sessions) {
      if (stored.userId === userId) {
        this.#sessions.delete(key)
        count++
      }
    }
    return count
  }

  #dropExpired(): void {
    const now = Date.now()
    for (const [key, stored] of this.#sessions) {
      if (stored.expiresAt <= now) this.#sessions.delete(key)
    }
  }
}
