// Links that stand in for a password once: reset it, set the first one (an invitation, or a
// customer who wrote in by mail claiming their account), or prove an address. Each is 256
// random bits, kept as SHA-256, used at most once (a conditional UPDATE: two racing uses
// cannot both pass) and only until it expires.
import { randomBytes } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { defineErrorType, HttpError } from '../errors.ts'
import { hashToken } from './actor.ts'

export type AccountTokenPurpose = 'password_reset' | 'invitation' | 'email_verification'

/** Long enough to read the mail, short enough that an old mailbox is no key. */
export const TOKEN_LIFETIME_MINUTES: Record<AccountTokenPurpose, number> = {
  password_reset: 30,
  invitation: 7 * 24 * 60,
  email_verification: 24 * 60,
}

/**
 * 422, not 400: the request is well formed, the link it carries names nothing usable (as an id
 * that names nothing does elsewhere).
 */
export const TOKEN_INVALID = defineErrorType('token_invalid', {
  status: 422,
  title: 'This link is not valid: it was used already, has expired, or was never issued',
})

/**
 * A new token of this purpose for the user; earlier unused ones of the same purpose stop
 * working (only the newest mail's link counts). Returns the token, shown once (in a mail).
 */
export async function issueAccountToken(
  em: EntityManager,
  userId: string,
  purpose: AccountTokenPurpose,
  lifetimeMinutes = TOKEN_LIFETIME_MINUTES[purpose],
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await em.execute(
    'delete from account_tokens where user_id = ? and purpose = ? and used_at is null',
    [userId, purpose],
  )
  await em.execute(
    `insert into account_tokens (user_id, purpose, token_hash, expires_at)
     values (?, ?, ?, now() + make_interval(mins => ?))`,
    [userId, purpose, hashToken(token), lifetimeMinutes],
  )
  return token
}

/** Uses a token of one of these purposes: whose it was and which, or 422 token_invalid. */
export async function consumeAccountToken(
  em: EntityManager,
  token: string,
  purposes: AccountTokenPurpose[],
): Promise<{ userId: string; purpose: AccountTokenPurpose }> {
  const [row] = await em.execute<{ user_id: string; purpose: AccountTokenPurpose }[]>(
    `update account_tokens set used_at = now()
     where token_hash = ? and purpose in (?) and used_at is null and expires_at > now()
       and user_id in (select id from users where erased_at is null)
     returning user_id, purpose`,
    [hashToken(token), purposes],
  )
  if (!row) throw new HttpError(TOKEN_INVALID)
  return { userId: row.user_id, purpose: row.purpose }
}

/** After a password is set every other password link of the user is void. */
export async function voidPasswordTokens(em: EntityManager, userId: string): Promise<void> {
  await em.execute(
    `delete from account_tokens
     where user_id = ? and purpose in ('password_reset', 'invitation') and used_at is null`,
    [userId],
  )
}
