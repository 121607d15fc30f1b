// The second factor: TOTP codes (each accepted once) and one-time recovery codes.
import { randomBytes } from 'node:crypto'
import type { QueryResult } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { type FieldSealer, sealedKeyId } from '../encryption/sealed.ts'
import { hashToken } from './actor.ts'
import type { UserEntity } from './entities.ts'
import { fromBase32, matchTotp, toBase32 } from './totp.ts'

export const RECOVERY_CODE_COUNT = 10

export interface SecondFactor {
  totp?: string | undefined
  recoveryCode?: string | undefined
}

/** What a stored TOTP secret is bound to: its user (a copy on another row does not open). */
export const totpContext = (userId: string) => `totp:${userId}`

/** A TOTP secret as stored: sealed with the application key, bound to its user. */
export function sealTotpSecret(sealer: FieldSealer, userId: string, secret: string): string {
  return sealer.seal(secret, totpContext(userId))
}

/**
 * The base32 secret of a stored value. Secrets stored before encryption at rest (plain
 * base32) are still read; `helpdesk app-keys reencrypt` seals them.
 */
export function openTotpSecret(sealer: FieldSealer, userId: string, stored: string): string {
  return sealedKeyId(stored) === null ? stored : sealer.open(stored, totpContext(userId))
}

/**
 * Accepts a TOTP code from a time step later than the last accepted one (so an observed
 * code cannot be replayed), or an unused recovery code, which is used up. Both updates are
 * single conditional statements: two concurrent sign-ins with one code cannot both pass.
 */
export async function verifySecondFactor(
  em: EntityManager,
  sealer: FieldSealer,
  user: UserEntity,
  factor: SecondFactor,
): Promise<'totp' | 'recovery_code' | null> {
  if (factor.totp !== undefined) {
    const secret = user.totpSecret ? openTotpSecret(sealer, user.id, user.totpSecret) : null
    return (await acceptTotp(em, user, secret, factor.totp)) ? 'totp' : null
  }
  if (factor.recoveryCode !== undefined) {
    return (await useRecoveryCode(em, user.id, factor.recoveryCode)) ? 'recovery_code' : null
  }
  return null
}

/** Checks a code against `secret` (the enrolled or the pending one, opened) and records its step. */
export async function acceptTotp(
  em: EntityManager,
  user: Pick<UserEntity, 'id'>,
  secret: string | null,
  code: string,
): Promise<boolean> {
  if (!secret) return false
  const step = matchTotp(fromBase32(secret), code.replace(/\s/g, ''), Date.now())
  if (step === null) return false
  const result = await em.execute<QueryResult>(
    `update users set totp_last_step = ?
     where id = ? and (totp_last_step is null or totp_last_step < ?)`,
    [step, user.id, step],
    'run',
  )
  return result.affectedRows === 1
}

async function useRecoveryCode(em: EntityManager, userId: string, code: string): Promise<boolean> {
  const result = await em.execute<QueryResult>(
    'delete from recovery_codes where user_id = ? and code_hash = ?',
    [userId, hashToken(normalizeRecoveryCode(code))],
    'run',
  )
  return result.affectedRows === 1
}

/** Replaces the user's recovery codes with new ones; returns them (shown once). */
export async function issueRecoveryCodes(em: EntityManager, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  await em.execute('delete from recovery_codes where user_id = ?', [userId], 'run')
  await em.execute(
    'insert into recovery_codes (user_id, code_hash) select ?, jsonb_array_elements_text(?::jsonb)',
    [userId, JSON.stringify(codes.map((code) => hashToken(normalizeRecoveryCode(code))))],
    'run',
  )
  return codes
}

/** 80 random bits as four groups of four base32 letters: `abcd-efgh-ijkl-mnop`. */
function newRecoveryCode(): string {
  return toBase32(randomBytes(10)).toLowerCase().match(/.{4}/g)?.join('-') ?? ''
}

/** People retype codes with other case, spaces or without dashes. */
function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, '')
}
