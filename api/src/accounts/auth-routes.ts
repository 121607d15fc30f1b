// Sign-in, sign-out, "who am I" and self sign-up. Sign-in answers the same for an unknown
// email, an account without a password and a wrong password, in about the same time; sign-up
// answers the same whether the email was new or taken, so neither can probe for accounts.
import { createHash } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { type AuditOrigin, auditOrigin, recordAudit } from '../audit/commands.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import { clientKey } from '../http/client.ts'
import type { Services } from '../platform/services.ts'
import { route } from '../routes/define.ts'
import { readSettings } from '../settings/queries.ts'
import { mailVerification } from './account-mail.ts'
import { registerCustomer } from './commands.ts'
import { passwordConfirmed, revokeAllTokens } from './credentials.ts'
import { User, type UserEntity } from './entities.ts'
import { Credentials, GivenPassword, Registration } from './inputs.ts'
import { verifySecondFactor } from './mfa.ts'
import { checkAgainstDecoy, checkPassword } from './passwords.ts'
import { presentUser, SignedIn, UserOut } from './presenters.ts'
import { findUser, findUserByEmail } from './queries.ts'

export const INVALID_CREDENTIALS = defineErrorType('invalid_credentials', {
  status: 401,
  title: 'Email or password is wrong',
})
export const MFA_REQUIRED = defineErrorType('mfa_required', {
  status: 401,
  title: 'Second factor required',
})
export const MFA_INVALID = defineErrorType('mfa_invalid', {
  status: 401,
  title: 'Second factor is wrong or already used',
})
export const EMAIL_UNVERIFIED = defineErrorType('email_unverified', {
  status: 403,
  title: 'Confirm your address first: a new link is on its way',
})

/**
 * A browser session ends after 2 hours without a request, and 12 hours after sign-in in any
 * case (the platform's absolute lifetime).
 */
export const SESSION_IDLE_SECONDS = 2 * 60 * 60

/** Failed sign-ins per client address; per account the platform's `login` limit applies. */
export const LOGIN_RATE_LIMITS = {
  loginIp: { points: 50, durationSeconds: 15 * 60, whenStoreDown: 'reject' },
} as const

export const REGISTER_RATE_LIMITS = {
  register: { points: 10, durationSeconds: 60 * 60, whenStoreDown: 'reject' },
} as const

export const login = route
  .post('/auth/login')
  .operationId('login')
  .summary('Sign in; starts a browser session', 'auth')
  .public()
  .body(Credentials)
  .response(200, SignedIn)
  .response(401, undefined, 'invalid_credentials, mfa_required or mfa_invalid')
  .response(403, undefined, 'email_unverified: a self-registered address is not confirmed yet')
  .response(429, undefined, 'Too many failed attempts from this address or for this account')
  .handle(async ({ body, ctx, em, services, session }) => {
    const keys = loginLimitKeys(ctx.ip, body.email)
    await services.rateLimits.consume('loginIp', keys.ip)
    await services.rateLimits.consume('login', keys.account)
    const origin = auditOrigin(ctx, null)
    const { user, rehashed } = await checkCredentials(em, origin, body)
    const audit = (action: string, details: Record<string, unknown> = {}) =>
      recordAudit(
        em,
        { ...origin, actorId: user.id },
        {
          action,
          targetType: 'user',
          targetId: user.id,
          details,
        },
      )
    if (!user.emailVerifiedAt) {
      // Told only after the right password: the answer reveals nothing to a stranger.
      await refundLoginPoints(services, keys)
      await em.transactional((tx) => mailVerification(tx, services.config, user))
      throw new HttpError(EMAIL_UNVERIFIED, {
        detail: 'follow the link in the mail we sent to your address, then sign in',
      })
    }
    if (user.mfaEnabled) {
      if (body.totp === undefined && body.recoveryCode === undefined) {
        // The password was right: this attempt costs no point, the next one will.
        await refundLoginPoints(services, keys)
        throw new HttpError(MFA_REQUIRED, { detail: 'send totp (or recoveryCode) as well' })
      }
      const factor = await verifySecondFactor(em, services.sealer, user, body)
      if (!factor) {
        await audit('auth.login_failed', { reason: 'mfa_invalid' })
        throw new HttpError(MFA_INVALID)
      }
      if (factor === 'recovery_code') await audit('auth.recovery_code_used')
    }
    if (rehashed) await em.nativeUpdate(User, { id: user.id }, { passwordHash: rehashed })
    await forgiveLoginAttempts(services, keys)
    const started = await session.start({
      userId: user.id,
      idleSeconds: SESSION_IDLE_SECONDS,
      data: passwordConfirmed(),
    })
    await audit('auth.login_succeeded', { mfa: user.mfaEnabled })
    return { user: presentUser(user), csrfToken: started.csrfToken }
  })

/**
 * The user whose password this is, or 401 invalid_credentials — after the same argon2id work
 * whether the email is unknown, has no password, or the password is wrong.
 */
async function checkCredentials(
  em: EntityManager,
  origin: AuditOrigin,
  credentials: { email: string; password: string },
): Promise<{ user: UserEntity; rehashed: string | undefined }> {
  const user = await findUserByEmail(em, credentials.email)
  const check = user?.passwordHash
    ? await checkPassword(user.passwordHash, credentials.password)
    : await checkAgainstDecoy(credentials.password).then(() => ({ valid: false as const }))
  if (user && check.valid) return { user, rehashed: check.rehashed }
  await recordAudit(
    em,
    { ...origin, actorId: user?.id ?? null },
    {
      action: 'auth.login_failed',
      ...(user ? { targetType: 'user', targetId: user.id } : {}),
      details: { reason: 'invalid_credentials' },
    },
  )
  throw new HttpError(INVALID_CREDENTIALS)
}

/** Accounts are keyed by a hash of the email: the limiter's store holds no addresses. */
export function loginLimitKeys(ip: string, email: string) {
  return {
    ip: `ip:${clientKey(ip)}`,
    account: `account:${createHash('sha256').update(email).digest('hex')}`,
  }
}

/** The password was right but the second factor is still to come: this try costs nothing. */
async function refundLoginPoints(
  services: Services,
  keys: ReturnType<typeof loginLimitKeys>,
): Promise<void> {
  await settleLimits(services, async () => {
    await services.rateLimits.refund('loginIp', keys.ip)
    await services.rateLimits.refund('login', keys.account)
  })
}

/**
 * A successful sign-in clears the account's failures (its owner is back) but only gives the
 * address back its own point: one good account must not launder guesses at others.
 */
export async function forgiveLoginAttempts(
  services: Services,
  keys: ReturnType<typeof loginLimitKeys>,
): Promise<void> {
  await settleLimits(services, async () => {
    await services.rateLimits.refund('loginIp', keys.ip)
    await services.rateLimits.reset('login', keys.account)
  })
}

async function settleLimits(services: Services, settle: () => Promise<void>): Promise<void> {
  try {
    await settle()
  } catch (error) {
    // At worst a success counts like a failure; the sign-in itself stands.
    services.logger.warn({ err: error }, 'could not settle login rate-limit points')
  }
}

export const logout = route
  .post('/auth/logout')
  .operationId('logout')
  .summary(
    'Sign out this session; with everywhere, every session and every API token of this user',
    'auth',
  )
  .auth()
  .body(z.strictObject({ everywhere: z.boolean().optional() }).optional())
  .response(204)
  .handle(async ({ body, actor, ctx, em, services, session }) => {
    const origin = auditOrigin(ctx, actor)
    if (body?.everywhere) {
      // "Someone else may be signed in as me": their tokens must stop working too.
      await em.transactional((tx) => revokeAllTokens(tx, actor.userId, origin, 'logout_everywhere'))
      await services.sessions.destroyForUser(actor.userId)
    }
    await session.end()
    await recordAudit(em, origin, {
      action: body?.everywhere ? 'auth.logout_everywhere' : 'auth.logout',
      targetType: 'user',
      targetId: actor.userId,
    })
  })

export const reauthenticate = route
  .post('/auth/reauthenticate')
  .operationId('reauthenticate')
  .summary(
    'Confirm the password of the signed-in user: a new session that may change credentials for a while',
    'auth',
  )
  .auth()
  .body(z.object({ password: GivenPassword }))
  .response(200, SignedIn)
  .response(401, undefined, 'invalid_credentials: the password is wrong')
  .response(403, undefined, 'Only a browser session re-authenticates')
  .response(429, undefined, 'Too many failed attempts for this account or from this address')
  .handle(async ({ body, actor, ctx, em, services, session }) => {
    if (actor.via !== 'session') {
      throw new HttpError('forbidden', { detail: 'only a browser session re-authenticates' })
    }
    const user = await findUser(em, actor.userId)
    // The same limits as sign-in: a stolen session must not become a password oracle.
    const keys = loginLimitKeys(ctx.ip, user.email)
    await services.rateLimits.consume('loginIp', keys.ip)
    await services.rateLimits.consume('login', keys.account)
    const origin = auditOrigin(ctx, actor)
    const check = user.passwordHash
      ? await checkPassword(user.passwordHash, body.password)
      : await checkAgainstDecoy(body.password).then(() => ({ valid: false as const }))
    if (!check.valid) {
      await recordAudit(em, origin, {
        action: 'auth.reauthentication_failed',
        targetType: 'user',
        targetId: user.id,
      })
      throw new HttpError(INVALID_CREDENTIALS)
    }
    await forgiveLoginAttempts(services, keys)
    // A new session id for the raised trust, as at sign-in.
    const started = await session.start({
      userId: user.id,
      idleSeconds: SESSION_IDLE_SECONDS,
      data: passwordConfirmed(),
    })
    await recordAudit(em, origin, {
      action: 'auth.reauthenticated',
      targetType: 'user',
      targetId: user.id,
    })
    return { user: presentUser(user), csrfToken: started.csrfToken }
  })

export const me = route
  .get('/auth/me')
  .operationId('getCurrentUser')
  .summary('The signed-in user (and the session’s CSRF token)', 'auth')
  .auth()
  .response(200, z.object({ user: UserOut, csrfToken: z.string().optional() }))
  .handle(async ({ actor, em }) => {
    const user = await findUser(em, actor.userId)
    return {
      user: presentUser(user),
      ...(actor.session ? { csrfToken: actor.session.csrfToken } : {}),
    }
  })

/**
 * What a browser tab asks on load. Unlike /auth/me it answers a visitor without a session
 * too (`user: null`), so a page load never fails a request just to learn nobody signed in;
 * it tells such a visitor nothing a 401 would not have.
 */
export const currentSession = route
  .get('/auth/session')
  .operationId('getSession')
  .summary('Who is signed in on this browser, if anyone (null, not 401, for nobody)', 'auth')
  .optionalAuth()
  .response(200, z.object({ user: UserOut.nullable(), csrfToken: z.string().optional() }))
  .handle(async ({ actor, em }) => {
    if (!actor) return { user: null }
    const user = await findUser(em, actor.userId)
    return {
      user: presentUser(user),
      ...(actor.session ? { csrfToken: actor.session.csrfToken } : {}),
    }
  })

export const register = route
  .post('/auth/register')
  .operationId('register')
  .summary(
    'Create a customer account (when self sign-up is on); a mailed link confirms the address',
    'auth',
  )
  .public()
  .body(Registration)
  .rateLimit('register', ({ ctx }) => `ip:${clientKey(ctx.ip)}`)
  .response(
    202,
    z.object({ status: z.literal('accepted') }),
    'Confirm the address with the mailed link, then sign in',
  )
  .response(403, undefined, 'Self sign-up is off')
  .handle(async ({ body, ctx, em, services }) => {
    if (!(await readSettings(em)).selfSignupEnabled) {
      throw new HttpError('forbidden', {
        detail: 'self sign-up is off; ask an admin for an account',
      })
    }
    // A person who already has an account gets the same answer, and simply signs in.
    await registerCustomer(em, services.config, auditOrigin(ctx, null), body)
    return { status: 'accepted' as const }
  })
