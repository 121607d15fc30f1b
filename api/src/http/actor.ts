import type { EntityManager } from '@mikro-orm/postgresql'
import type { Session } from '../sessions/store.ts'

/**
 * Who is making a request. The platform authenticates (session cookie or bearer token); the
 * domain decides who that is and what they may do through the AuthHooks of its module.
 */
export interface Actor {
  userId: string
  /** Permission names checked by routes' `.auth('permission')`. */
  permissions: ReadonlySet<string>
  /** email: a mail channel acting for the sender of a mail it read. */
  via: 'session' | 'token' | 'email'
  /** Set when `via` is 'session'. */
  session?: Session
  /** The user's role, for the domain's policies (`customer`, `agent`, `admin`). */
  role?: string
  /**
   * Permissions the actor holds but may not use until they take a step (e.g. enrol MFA): a
   * route needing only such permissions answers 403 with this error type instead of forbidden.
   */
  withheld?: { permissions: ReadonlySet<string>; type: string; detail: string }
}

export interface AuthHooks {
  /**
   * Resolves the actor behind a live session; null when the user is gone or disabled
   * (the session is then destroyed). Default: the session's user with no permissions.
   */
  actorFromSession?(session: Session, em: EntityManager): Promise<Actor | null>
  /** Resolves an `Authorization: Bearer` token; null when it is unknown, revoked or expired. */
  actorFromToken?(token: string, em: EntityManager): Promise<Actor | null>
}
