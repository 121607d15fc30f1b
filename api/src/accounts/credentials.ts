// Rules for changing how someone proves who they are (api/README.md, "Credential changes"):
// only a browser session whose password was typed recently may change a credential, and a
// change that means the old proof may be in someone else's hands revokes every API token.
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'

export const REAUTHENTICATION_REQUIRED = defineErrorType('reauthentication_required', {
  status: 403,
  title: 'Confirm your password first',
})

/** How long after typing the password a session may change credentials (sudo mode). */
export const RECENT_PASSWORD_SECONDS = 10 * 60

/** Session data of a sign-in or re-authentication: when the password was last typed. */
export function passwordConfirmed(now = Date.now()): { passwordAt: number } {
  return { passwordAt: now }
}

/**
 * A credential (TOTP, recovery codes, API tokens) is changed only from a browser session
 * whose password was typed within RECENT_PASSWORD_SECONDS: a stolen API token or an
 * unattended browser cannot lock its owner out or mint itself a lasting foothold.
 */
export function assertRecentPassword(actor: Actor, now = Date.now()): void {
  if (actor.via !== 'session' || !actor.session) {
    throw new HttpError('forbidden', {
      detail: 'credentials change only in a browser session, never with an API token',
    })
  }
  const passwordAt = actor.session.data.passwordAt
  if (typeof passwordAt !== 'number' || now - passwordAt > RECENT_PASSWORD_SECONDS * 1000) {
    throw new HttpError(REAUTHENTICATION_REQUIRED, {
      detail: 'confirm your password (POST /api/v1/auth/reauthenticate) and try again',
    })
  }
}

export type TokenRevocationReason =
  | 'password_set'
  | 'password_changed'
  | 'password_reset'
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'mfa_reset'
  | 'logout_everywhere'

/**
 * Revokes every API token of the user, audited with the reason, inside the caller's
 * transaction. A token is only as trustworthy as the sign-in that minted it.
 */
export async function revokeAllTokens(
  em: EntityManager,
  userId: string,
  origin: AuditOrigin,
  reason: TokenRevocationReason,
): Promise<number> {
  const revoked = await em.execute<{ id: string }[]>(
    'delete from api_tokens where user_id = ? returning id',
    [userId],
  )
  if (revoked.length > 0) {
    await recordAudit(em, origin, {
      action: 'auth.tokens_revoked',
      targetType: 'user',
      targetId: userId,
      details: { reason, count: revoked.length },
    })
  }
  return revoked.length
}
