import { createHash, randomBytes } from 'node:crypto'

export interface Session {
  /** The secret that travels in the cookie; stores keep only its hash. */
  id: string
  userId: string
  /** Bound to this session; state-changing cookie requests must echo it in X-CSRFToken. */
  csrfToken: string
  createdAt: number
  expiresAt: number
  /** Set: the session also ends after this long without a request (each read renews it). */
  idleTimeoutMs?: number
  data: Record<string, unknown>
}

export interface NewSession {
  userId: string
  /** @default SESSION_TTL_SECONDS */
  ttlSeconds?: number
  /** Ends the session after this long without use, before the absolute expiry. */
  idleSeconds?: number
  data?: Record<string, unknown>
}

/**
 * Browser sessions. Redis in production (every pod sees every session), process memory in
 * embedded mode; test/sessions.test.ts runs one contract against both.
 */
export interface SessionStore {
  create(session: NewSession): Promise<Session>
  /**
   * The live session for a cookie value; null when unknown or expired. `fresh`: read past any
   * copy this process keeps (sessions/cache.ts); stores without copies ignore it.
   */
  get(id: string, options?: { fresh?: boolean }): Promise<Session | null>
  destroy(id: string): Promise<void>
  /**
   * Ends every session of a user (role change, erasure) or all but `keep` (the one that just
   * proved more, e.g. by turning MFA on); returns how many.
   */
  destroyForUser(userId: string, options?: { keep?: string }): Promise<number>
  /**
   * What a user may do changed while their sessions go on (MFA turned on or off, MFA required
   * of them; no userId: of everyone, e.g. of every agent): processes that keep copies of
   * sessions, and the actors made from them, read them again.
   */
  actorChanged(userId?: string): Promise<void>
}

export const SESSION_TTL_SECONDS = 12 * 60 * 60

/** Milliseconds since the epoch; stores take one so tests can move time instead of waiting. */
export type Clock = () => number

/** 256 random bits, URL-safe: unguessable and cookie-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Stores index sessions by this, so a leaked store dump holds no usable cookie. */
export function sessionKey(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}

export function newSession(input: NewSession, now = Date.now()): Session {
  const ttl = input.ttlSeconds ?? SESSION_TTL_SECONDS
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('ttlSeconds must be a positive integer')
  const idle = input.idleSeconds
  if (idle !== undefined && (!Number.isInteger(idle) || idle <= 0)) {
    throw new Error('idleSeconds must be a positive integer')
  }
  return {
    id: randomToken(),
    userId: input.userId,
    csrfToken: randomToken(),
    createdAt: now,
    expiresAt: now + ttl * 1000,
    ...(idle === undefined ? {} : { idleTimeoutMs: idle * 1000 }),
    data: input.data ?? {},
  }
}

/** How long a session may stay unused from `now`: its idle timeout, capped by its expiry. */
export function remainingLifeMs(session: StoredSession, now: number): number {
  const absolute = session.expiresAt - now
  return session.idleTimeoutMs === undefined ? absolute : Math.min(absolute, session.idleTimeoutMs)
}

/** A stored record: everything but the cookie secret. */
export type StoredSession = Omit<Session, 'id'>

export function toStored({ id: _id, ...stored }: Session): StoredSession {
  return stored
}

/**
 * The store, telling `changed` after every session that ends and every actor that changes:
 * in embedded mode this is how open event streams learn that their session is over (with
 * Redis they hear the store's revocation channel instead).
 */
export function announcingChanges(store: SessionStore, changed: () => void): SessionStore {
  const after = async <T>(result: Promise<T>): Promise<T> => {
    const value = await result
    changed()
    return value
  }
  return {
    create: (session) => store.create(session),
    get: (id, options) => store.get(id, options),
    destroy: (id) => after(store.destroy(id)),
    destroyForUser: (userId, options) => after(store.destroyForUser(userId, options)),
    actorChanged: (userId) => after(store.actorChanged(userId)),
  }
}
