// Writes of the accounts area: users (create, change, MFA reset, self sign-up, the first
// admin), TOTP enrolment and API tokens. Each records its audit event in the change's own
// transaction; ending sessions is left to the caller, after the commit.
import { randomBytes } from 'node:crypto'
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit, systemOrigin } from '../audit/commands.ts'
import type { Config } from '../config.ts'
import type { FieldSealer } from '../encryption/sealed.ts'
import { HttpError } from '../errors.ts'
import type { BootstrapAdminInput } from '../platform/module.ts'
import {
  mailAccountExists,
  mailInvitation,
  mailPasswordReset,
  mailVerification,
} from './account-mail.ts'
import { consumeAccountToken, voidPasswordTokens } from './account-tokens.ts'
import { hashToken } from './actor.ts'
import { revokeAllTokens } from './credentials.ts'
import { ApiToken, type ApiTokenEntity, User, type UserEntity } from './entities.ts'
import { Email, NewPassword, type NewToken, type NewUser, type UserChanges } from './inputs.ts'
import {
  acceptTotp,
  issueRecoveryCodes,
  openTotpSecret,
  sealTotpSecret,
  verifySecondFactor,
} from './mfa.ts'
import { hashPassword } from './passwords.ts'
import { findUser, findUserByEmail, MAX_TOKENS_PER_USER } from './queries.ts'
import { newTotpSecret, otpauthUrl } from './totp.ts'

const TOTP_ISSUER = 'Helpdesk'

/**
 * Inserts a user; 409 conflict when the email is taken. `verified`: the address is vouched
 * for (an admin typed it); self sign-up and mail proves it with a link first.
 */
export async function createUser(
  em: EntityManager,
  input: NewUser,
  { verified = true }: { verified?: boolean } = {},
): Promise<UserEntity> {
  const user = em.create(User, {
    emailVerifiedAt: verified ? new Date() : null,
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    mfaEnabled: false,
    mfaRequired: false,
    totpSecret: null,
    totpPendingSecret: null,
    totpLastStep: null,
    erasedAt: null,
  })
  try {
    await em.flush()
  } catch (error) {
    throw asEmailConflict(error)
  }
  return user
}

export function asEmailConflict(error: unknown): unknown {
  if (!(error instanceof UniqueConstraintViolationException)) return error
  return new HttpError('conflict', {
    detail: 'a user with this email exists',
    errors: [{ path: 'body.email', message: 'already in use' }],
  })
}

/** An admin creates an account (audited). */
export async function addUser(
  em: EntityManager,
  origin: AuditOrigin,
  input: NewUser,
): Promise<UserEntity> {
  return em.transactional(async (tx) => {
    const created = await createUser(tx, input)
    await recordAudit(tx, origin, {
      action: 'user.created',
      targetType: 'user',
      targetId: created.id,
      details: { role: created.role },
    })
    return created
  })
}

/** Writes the changes and their audit events; says whether the user's sessions must end. */
export async function updateUser(
  em: EntityManager,
  origin: AuditOrigin,
  id: string,
  changes: UserChanges,
): Promise<{ user: UserEntity; endSessions: boolean }> {
  return em.transactional(async (tx) => {
    const user = await findUser(tx, id, { forUpdate: true })
    const audit = (action: string, details: Record<string, unknown>) =>
      recordAudit(tx, origin, { action, targetType: 'user', targetId: user.id, details })
    if (changes.role !== undefined && changes.role !== user.role) {
      if (user.role === 'admin') await assertAnotherAdmin(tx, user.id)
      await audit('user.role_changed', { from: user.role, to: changes.role })
    }
    if (changes.mfaRequired !== undefined && changes.mfaRequired !== user.mfaRequired) {
      await audit('user.mfa_requirement_changed', {
        from: user.mfaRequired,
        to: changes.mfaRequired,
      })
    }
    const renamed = (['name', 'email'] as const).filter(
      (field) => changes[field] !== undefined && changes[field] !== user[field],
    )
    if (renamed.length > 0) await audit('user.updated', { fields: renamed })
    if (changes.password !== undefined) {
      await audit('user.password_set', {})
      // Whoever may have known the old password may have minted tokens with it.
      await revokeAllTokens(tx, user.id, origin, 'password_set')
    }
    const endSessions =
      (changes.role !== undefined && changes.role !== user.role) || changes.password !== undefined
    tx.assign(user, {
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.email === undefined ? {} : { email: changes.email }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.mfaRequired === undefined ? {} : { mfaRequired: changes.mfaRequired }),
      ...(changes.password === undefined
        ? {}
        : { passwordHash: await hashPassword(changes.password) }),
    })
    try {
      await tx.flush()
    } catch (error) {
      throw asEmailConflict(error)
    }
    return { user, endSessions }
  })
}

/** An installation always keeps an admin who can sign in. */
export async function assertAnotherAdmin(tx: EntityManager, leaving: string): Promise<void> {
  // Locks every admin row: two admins demoting each other at once cannot both succeed. An
  // admin without a password cannot sign in, so does not count.
  const admins = await tx.execute<{ id: string; can_sign_in: boolean }[]>(
    `select id, password_hash is not null as can_sign_in from users
     where role = 'admin' and erased_at is null for update`,
  )
  if (!admins.some((admin) => admin.id !== leaving && admin.can_sign_in)) {
    throw new HttpError('conflict', {
      detail: 'the last admin who can sign in cannot be demoted or erased',
    })
  }
}

/** Turns off a user's TOTP (a lost device) and revokes their tokens: they enrol again. */
export async function resetMfa(em: EntityManager, origin: AuditOrigin, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const user = await findUser(tx, id, { forUpdate: true })
    tx.assign(user, { mfaEnabled: false, totpSecret: null, totpPendingSecret: null })
    await tx.execute('delete from recovery_codes where user_id = ?', [user.id], 'run')
    await recordAudit(tx, origin, {
      action: 'user.mfa_reset',
      targetType: 'user',
      targetId: user.id,
    })
    // The lost device may be in someone's hands, and so may tokens made with it.
    await revokeAllTokens(tx, user.id, origin, 'mfa_reset')
  })
}

/**
 * A customer signs themself up. A taken email changes nothing and is not told apart: the
 * password was hashed before the insert failed, so both take as long.
 */
export async function registerCustomer(
  em: EntityManager,
  config: Config,
  origin: Omit<AuditOrigin, 'actorId'>,
  input: Omit<NewUser, 'role'>,
): Promise<void> {
  try {
    await em.transactional(async (tx) => {
      const user = await createUser(tx, { ...input, role: 'customer' }, { verified: false })
      await recordAudit(
        tx,
        { ...origin, actorId: user.id },
        { action: 'user.registered', targetType: 'user', targetId: user.id },
      )
      await mailVerification(tx, config, user)
    })
  } catch (error) {
    if (!(asEmailConflict(error) instanceof HttpError)) throw error
    // The owner of the address hears of it; the answer stays the same for the stranger.
    await em.transactional(async (tx) => {
      const owner = await findUserByEmail(tx, input.email)
      if (owner) await mailAccountExists(tx, config, owner)
    })
  }
}

/**
 * "Forgot password" for an address, run as a job so that the answer to the request is the
 * same, in content and time, whether the address has an account or not. An account without
 * a password (a customer who wrote in by mail) gets the same link: it sets a first one.
 */
export async function requestPasswordReset(
  em: EntityManager,
  config: Config,
  email: string,
): Promise<void> {
  const user = await findUserByEmail(em, email)
  if (!user) return
  await mailPasswordReset(em, config, user)
  await recordAudit(em, systemOrigin(), {
    action: 'auth.password_reset_requested',
    targetType: 'user',
    targetId: user.id,
  })
}

/**
 * Sets the password a mailed link allows: a reset, an invitation or a claimed account. The
 * address is proven by it; every API token of the user is revoked and every other password
 * link voided. The caller ends the user's sessions after the commit.
 */
export async function setPasswordWithToken(
  em: EntityManager,
  origin: Omit<AuditOrigin, 'actorId'>,
  token: string,
  password: string,
): Promise<UserEntity> {
  const passwordHash = await hashPassword(password)
  return em.transactional(async (tx) => {
    const { userId, purpose } = await consumeAccountToken(tx, token, [
      'password_reset',
      'invitation',
    ])
    const user = await findUser(tx, userId, { forUpdate: true })
    user.passwordHash = passwordHash
    user.emailVerifiedAt ??= new Date()
    await voidPasswordTokens(tx, user.id)
    const by = { ...origin, actorId: user.id }
    await recordAudit(tx, by, {
      action: purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset',
      targetType: 'user',
      targetId: user.id,
    })
    await revokeAllTokens(tx, user.id, by, 'password_reset')
    await tx.flush()
    return user
  })
}

/**
 * The signed-in user changes their password, proving the current one (checked by the
 * caller). Their API tokens are revoked; the caller ends every session and starts a new one.
 */
export async function changeOwnPassword(
  em: EntityManager,
  origin: AuditOrigin & { actorId: string },
  newPassword: string,
): Promise<UserEntity> {
  const passwordHash = await hashPassword(newPassword)
  return em.transactional(async (tx) => {
    const user = await findUser(tx, origin.actorId, { forUpdate: true })
    user.passwordHash = passwordHash
    await voidPasswordTokens(tx, user.id)
    await recordAudit(tx, origin, {
      action: 'auth.password_changed',
      targetType: 'user',
      targetId: user.id,
    })
    await revokeAllTokens(tx, user.id, origin, 'password_changed')
    await tx.flush()
    return user
  })
}

/** A verification link was followed: the address is the user's. */
export async function verifyEmail(
  em: EntityManager,
  origin: Omit<AuditOrigin, 'actorId'>,
  token: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const { userId } = await consumeAccountToken(tx, token, ['email_verification'])
    await tx.execute(
      'update users set email_verified_at = coalesce(email_verified_at, now()) where id = ?',
      [userId],
    )
    await recordAudit(
      tx,
      { ...origin, actorId: userId },
      {
        action: 'auth.email_verified',
        targetType: 'user',
        targetId: userId,
      },
    )
  })
}

/** An admin mails someone a link to set their password (a first one: an invitation). */
export async function sendInvitation(
  em: EntityManager,
  config: Config,
  origin: AuditOrigin,
  userId: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const user = await findUser(tx, userId)
    await mailInvitation(tx, config, user)
    await recordAudit(tx, origin, {
      action: 'user.invitation_sent',
      targetType: 'user',
      targetId: user.id,
      details: { firstPassword: !user.passwordHash },
    })
  })
}

/**
 * The first admin, when there is no user at all. Several pods may start at once: a
 * transaction-scoped advisory lock makes the "no user yet" check and the insert one step.
 * The admin must still enrol MFA before using admin-only endpoints.
 */
export async function bootstrapAdmin(
  em: EntityManager,
  admin: BootstrapAdminInput,
): Promise<'created' | 'exists'> {
  const email = Email.parse(admin.email)
  const password = NewPassword.parse(admin.password)
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('helpdesk.bootstrap_admin'))`)
    const [row] = await tx.execute<{ taken: boolean }[]>(
      'select exists (select 1 from users) as taken',
    )
    if (row?.taken) return 'exists'
    const user = await createUser(tx, { email, name: 'Administrator', role: 'admin', password })
    await recordAudit(tx, systemOrigin(), {
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      details: { role: 'admin', bootstrap: true },
    })
    return 'created'
  })
}

/** Starts TOTP enrolment: a pending secret for the authenticator app, stored sealed. */
export async function startTotpSetup(em: EntityManager, sealer: FieldSealer, userId: string) {
  const user = await findUser(em, userId)
  if (user.mfaEnabled) {
    throw new HttpError('conflict', { detail: 'two-factor sign-in is already on' })
  }
  const secret = newTotpSecret()
  user.totpPendingSecret = sealTotpSecret(sealer, user.id, secret)
  await em.flush()
  return { secret, otpauthUrl: otpauthUrl(secret, user.email, TOTP_ISSUER) }
}

/**
 * Proves the app has the pending secret (a code) and turns MFA on; returns the recovery codes
 * (shown once) and revokes the API tokens made with the password alone. The caller ends the
 * user's other sessions.
 */
export async function enableTotp(
  em: EntityManager,
  sealer: FieldSealer,
  origin: AuditOrigin,
  userId: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  return em.transactional(async (tx) => {
    const user = await findUser(tx, userId, { forUpdate: true })
    if (user.mfaEnabled || !user.totpPendingSecret) {
      throw new HttpError('conflict', {
        detail: user.mfaEnabled ? 'two-factor sign-in is already on' : 'start with setup',
      })
    }
    const pending = openTotpSecret(sealer, user.id, user.totpPendingSecret)
    if (!(await acceptTotp(tx, user, pending, code))) throw wrongCode()
    user.totpSecret = user.totpPendingSecret
    user.totpPendingSecret = null
    user.mfaEnabled = true
    const recoveryCodes = await issueRecoveryCodes(tx, user.id)
    await recordAudit(tx, origin, {
      action: 'auth.mfa_enabled',
      targetType: 'user',
      targetId: user.id,
    })
    await revokeAllTokens(tx, user.id, origin, 'mfa_enabled')
    return { recoveryCodes }
  })
}

/** Turns TOTP off with a current code or a recovery code, and revokes the API tokens. */
export async function disableTotp(
  em: EntityManager,
  sealer: FieldSealer,
  origin: AuditOrigin,
  userId: string,
  code: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const user = await findUser(tx, userId, { forUpdate: true })
    if (!user.mfaEnabled) throw new HttpError('conflict', { detail: 'two-factor sign-in is off' })
    const factor = /^\d{6}$/.test(code) ? { totp: code } : { recoveryCode: code }
    if (!(await verifySecondFactor(tx, sealer, user, factor))) throw wrongCode()
    user.mfaEnabled = false
    user.totpSecret = null
    await tx.execute('delete from recovery_codes where user_id = ?', [user.id], 'run')
    await recordAudit(tx, origin, {
      action: 'auth.mfa_disabled',
      targetType: 'user',
      targetId: user.id,
    })
    await revokeAllTokens(tx, user.id, origin, 'mfa_disabled')
  })
}

/** New recovery codes (shown once) in place of the old ones. */
export async function replaceRecoveryCodes(
  em: EntityManager,
  origin: AuditOrigin,
  userId: string,
): Promise<{ recoveryCodes: string[] }> {
  return em.transactional(async (tx) => {
    const user = await findUser(tx, userId, { forUpdate: true })
    if (!user.mfaEnabled) throw new HttpError('conflict', { detail: 'two-factor sign-in is off' })
    const recoveryCodes = await issueRecoveryCodes(tx, user.id)
    await recordAudit(tx, origin, {
      action: 'auth.recovery_codes_replaced',
      targetType: 'user',
      targetId: user.id,
    })
    return { recoveryCodes }
  })
}

function wrongCode(): HttpError {
  return new HttpError('unprocessable', {
    detail: 'the code is wrong or was already used',
    errors: [{ path: 'body.code', message: 'wrong or already used' }],
  })
}

/**
 * `hd_` + 256 random bits; only its SHA-256 is stored, the secret is returned once. At most
 * MAX_TOKENS_PER_USER: the user's row is the lock, so parallel creates count one after another.
 */
export async function createApiToken(
  em: EntityManager,
  origin: AuditOrigin & { actorId: string },
  input: NewToken,
): Promise<{ token: ApiTokenEntity; secret: string }> {
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= Date.now()) {
    throw new HttpError('unprocessable', {
      detail: 'expiresAt is in the past',
      errors: [{ path: 'body.expiresAt', message: 'must be in the future' }],
    })
  }
  const secret = `hd_${randomBytes(32).toString('base64url')}`
  return em.transactional(async (tx) => {
    await tx.execute('select id from users where id = ? for update', [origin.actorId])
    const count = await tx.count(ApiToken, { userId: origin.actorId })
    if (count >= MAX_TOKENS_PER_USER) {
      throw new HttpError('conflict', {
        detail: `at most ${MAX_TOKENS_PER_USER} tokens; revoke one`,
      })
    }
    const token = tx.create(ApiToken, {
      userId: origin.actorId,
      name: input.name,
      tokenHash: hashToken(secret),
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      lastUsedAt: null,
    })
    await tx.flush()
    await recordAudit(tx, origin, {
      action: 'auth.token_created',
      targetType: 'api_token',
      targetId: token.id,
      details: { expiresAt: input.expiresAt ?? null },
    })
    return { token, secret }
  })
}

export async function revokeApiToken(
  em: EntityManager,
  origin: AuditOrigin,
  token: ApiTokenEntity,
): Promise<void> {
  const id = token.id
  em.remove(token)
  await em.flush()
  await recordAudit(em, origin, {
    action: 'auth.token_revoked',
    targetType: 'api_token',
    targetId: id,
  })
}
