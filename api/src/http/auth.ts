import { timingSafeEqual } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import { HttpError } from '../errors.ts'
import { readSessionCookie, type SessionCookieOptions } from '../sessions/cookie.ts'
import type { Session, SessionStore } from '../sessions/store.ts'
import type { Actor, AuthHooks } from './actor.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface Authenticator {
  /**
   * The actor of this request, or undefined when it carries no credentials at all. `fresh`:
   * made from the session as the store holds it now, past this process's copy.
   */
  authenticate(
    ctx: Context,
    em: EntityManager,
    options?: { fresh?: boolean },
  ): Promise<Actor | undefined>
}

/**
 * Bearer token first (API clients: no CSRF, no cookies involved), else the session cookie.
 * A cookie-authenticated state-changing request must echo the session's CSRF token in
 * X-CSRFToken: a cross-site form can send the cookie but cannot read the token.
 */
export function createAuthenticator(
  store: SessionStore,
  hooks: AuthHooks,
  cookie: SessionCookieOptions,
): Authenticator {
  /**
   * The actor made from a session object. A caching store hands out one object per copy
   * (sessions/cache.ts), which ends with a revocation or an actorChanged: the actor's query
   * is then skipped for as long as the copy lives. Other stores read a new object each time.
   */
  const actors = new WeakMap<Session, Actor>()
  return {
    async authenticate(ctx, em, options = {}) {
      const authorization = ctx.get('Authorization')
      if (authorization) return fromToken(authorization, hooks, em)
      const sessionId = readSessionCookie(ctx, cookie)
      if (!sessionId) return undefined
      const session = await loadSession(store, sessionId, options.fresh === true)
      if (!session) return undefined
      if (!SAFE_METHODS.has(ctx.method)) assertCsrfToken(ctx.get('X-CSRFToken'), session)
      const actor = actors.get(session) ?? (await actorOf(session, hooks, em))
      if (!actor) {
        await store.destroy(session.id)
        return undefined
      }
      actors.set(session, actor)
      return { ...actor, via: 'session', session }
    },
  }
}

function actorOf(session: Session, hooks: AuthHooks, em: EntityManager) {
  return hooks.actorFromSession
    ? hooks.actorFromSession(session, em)
    : Promise.resolve({
        userId: session.userId,
        permissions: new Set<string>(),
        via: 'session' as const,
      })
}

async function fromToken(authorization: string, hooks: AuthHooks, em: EntityManager) {
  // RFC 9110 §11.1: the scheme is case-insensitive (`bearer`, `BEARER`).
  const match = /^Bearer +([A-Za-z0-9._~+/=-]{16,512})$/i.exec(authorization)
  if (!match?.[1]) {
    throw new HttpError('unauthenticated', { detail: 'use Authorization: Bearer <token>' })
  }
  const actor = hooks.actorFromToken ? await hooks.actorFromToken(match[1], em) : null
  if (!actor) throw new HttpError('unauthenticated', { detail: 'invalid or expired token' })
  return { ...actor, via: 'token' as const }
}

async function loadSession(
  store: SessionStore,
  id: string,
  fresh: boolean,
): Promise<Session | null> {
  try {
    return await store.get(id, { fresh })
  } catch (error) {
    throw new HttpError('dependency_unavailable', {
      detail: 'the session store is unavailable',
      headers: { 'Retry-After': '5' },
      cause: error,
    })
  }
}

function assertCsrfToken(sent: string, session: Session): void {
  const expected = Buffer.from(session.csrfToken)
  const actual = Buffer.from(sent)
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new HttpError('csrf_failed', {
      detail: sent ? 'X-CSRFToken does not match the session' : 'X-CSRFToken header missing',
    })
  }
}

/**
 * The request's actor, holding `permissions`. A session's actor may come from this process's
 * copy (sessions/cache.ts), which can be a moment older than a change another process just
 * announced — MFA set up there a millisecond ago: a refusal is therefore decided on a fresh
 * read, so nobody is refused what they were just granted. (A copy may still allow what was
 * just withdrawn until the announcement arrives: that window is the cache's, see cache.ts.)
 */
export async function authorizedActor(
  authenticator: Authenticator,
  ctx: Context,
  em: EntityManager,
  permissions: readonly string[],
): Promise<Actor> {
  const actor = await authenticator.authenticate(ctx, em)
  if (actor?.via !== 'session' || permissions.every((each) => actor.permissions.has(each))) {
    return authorize(actor, permissions)
  }
  return authorize(await authenticator.authenticate(ctx, em, { fresh: true }), permissions)
}

/** Enforces a route's requirement once the actor is known. */
export function authorize(actor: Actor | undefined, permissions: readonly string[]): Actor {
  if (!actor) throw new HttpError('unauthenticated')
  const missing = permissions.filter((permission) => !actor.permissions.has(permission))
  if (missing.length === 0) return actor
  const { withheld } = actor
  if (withheld && missing.every((permission) => withheld.permissions.has(permission))) {
    throw new HttpError(withheld.type, { detail: withheld.detail })
  }
  throw new HttpError('forbidden', { detail: `needs ${missing.join(', ')}` })
}
