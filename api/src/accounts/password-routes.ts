// The password lifecycle: change one's own password, "forgot password" by mail (the same
// answer whether the address has an account or not, rate limited), set a password from a
// mailed link (reset, invitation, a mail customer claiming their account) and confirm an
// address after self sign-up.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { HttpError } from '../errors.ts'
import { clientKey } from '../http/client.ts'
import { enqueue, type JobDefinition } from '../jobs/queue.ts'
import { route } from '../routes/define.ts'
import { shaped } from '../routes/text.ts'
import { forgiveLoginAttempts, loginLimitKeys, SESSION_IDLE_SECONDS } from './auth-routes.ts'
import {
  changeOwnPassword,
  requestPasswordReset,
  setPasswordWithToken,
  verifyEmail,
} from './commands.ts'
import { passwordConfirmed } from './credentials.ts'
import { Email, GivenPassword, NewPassword } from './inputs.ts'
import { checkAgainstDecoy, checkPassword } from './passwords.ts'
import { presentUser, SignedIn } from './presenters.ts'
import { findUser } from './queries.ts'

export const PASSWORD_RATE_LIMITS = {
  /** Reset mails per address asked for: a mailbox is not to be flooded. */
  passwordForgot: { points: 3, durationSeconds: 60 * 60, whenStoreDown: 'reject' },
  passwordForgotIp: { points: 20, durationSeconds: 60 * 60, whenStoreDown: 'reject' },
  passwordReset: { points: 20, durationSeconds: 15 * 60, whenStoreDown: 'reject' },
} as const

const PASSWORD_RESET_JOB = 'accounts.password-reset'

/** Mails the reset link off the request's path, so the answer cannot tell who has an account. */
export const passwordResetJob: JobDefinition = {
  kind: PASSWORD_RESET_JOB,
  maxAttempts: 3,
  async handle({ em, payload, services }) {
    await requestPasswordReset(em, services.config, (payload as { email: string }).email)
  },
}

const LinkToken = shaped(/^[A-Za-z0-9_-]{43}$/, 'the token from the mailed link', { max: 43 })

const Accepted = z.object({ status: z.literal('accepted') })

export const forgotPassword = route
  .post('/auth/password/forgot')
  .operationId('forgotPassword')
  .summary(
    'Mail a link to choose a new password; the same answer whether the address has an account',
    'auth',
  )
  .public()
  .body(z.object({ email: Email }))
  .response(202, Accepted, 'If the address has an account, a link is on its way')
  .response(429, undefined, 'Too many requests for this address or from this client')
  .handle(async ({ body, ctx, em, services }) => {
    await services.rateLimits.consume('passwordForgotIp', `ip:${clientKey(ctx.ip)}`)
    await services.rateLimits.consume(
      'passwordForgot',
      `account:${createHash('sha256').update(body.email).digest('hex')}`,
    )
    await enqueue(em, PASSWORD_RESET_JOB, { email: body.email })
    return { status: 'accepted' as const }
  })

export const resetPassword = route
  .post('/auth/password/reset')
  .operationId('resetPassword')
  .summary(
    'Set a password with a mailed link (reset, invitation); ends every session and API token',
    'auth',
  )
  .public()
  .body(z.object({ token: LinkToken, password: NewPassword }))
  .rateLimit('passwordReset', ({ ctx }) => `ip:${clientKey(ctx.ip)}`)
  .response(204)
  .response(422, undefined, 'token_invalid: used, expired or never issued')
  .handle(async ({ body, ctx, em, services }) => {
    const user = await setPasswordWithToken(em, auditOrigin(ctx, null), body.token, body.password)
    await services.sessions.destroyForUser(user.id)
  })

export const changePassword = route
  .post('/auth/password')
  .operationId('changePassword')
  .summary(
    'Change my password (the current one required): other sessions end, API tokens are revoked',
    'auth',
  )
  .auth()
  .body(z.object({ currentPassword: GivenPassword, newPassword: NewPassword }))
  .response(200, SignedIn, 'Changed; this browser continues in a new session')
  .response(403, undefined, 'Only a browser session changes a password')
  .response(422, undefined, 'The current password is wrong, or the new one is the same')
  .response(429, undefined, 'Too many wrong current passwords')
  .handle(async ({ body, actor, ctx, em, services, session }) => {
    if (actor.via !== 'session') {
      throw new HttpError('forbidden', { detail: 'only a browser session changes a password' })
    }
    const user = await findUser(em, actor.userId)
    // The sign-in's limits: a stolen session must not become a password oracle.
    const keys = loginLimitKeys(ctx.ip, user.email)
    await services.rateLimits.consume('loginIp', keys.ip)
    await services.rateLimits.consume('login', keys.account)
    const check = user.passwordHash
      ? await checkPassword(user.passwordHash, body.currentPassword)
      : await checkAgainstDecoy(body.currentPassword).then(() => ({ valid: false as const }))
    if (!check.valid) {
      throw new HttpError('unprocessable', {
        detail: 'the current password is wrong',
        errors: [{ path: 'body.currentPassword', message: 'wrong password' }],
      })
    }
    if (body.currentPassword === body.newPassword) {
      throw new HttpError('unprocessable', {
        detail: 'choose a password other than the current one',
        errors: [{ path: 'body.newPassword', message: 'same as the current password' }],
      })
    }
    await forgiveLoginAttempts(services, keys)
    const changed = await changeOwnPassword(
      em,
      { ...auditOrigin(ctx, actor), actorId: actor.userId },
      body.newPassword,
    )
    await services.sessions.destroyForUser(changed.id)
    const started = await session.start({
      userId: changed.id,
      idleSeconds: SESSION_IDLE_SECONDS,
      data: passwordConfirmed(),
    })
    return { user: presentUser(changed), csrfToken: started.csrfToken }
  })

export const verifyEmailRoute = route
  .post('/auth/verify-email')
  .operationId('verifyEmail')
  .summary('Confirm an address with the mailed link; then the account signs in', 'auth')
  .public()
  .body(z.object({ token: LinkToken }))
  .rateLimit('passwordReset', ({ ctx }) => `ip:${clientKey(ctx.ip)}`)
  .response(200, z.object({ status: z.literal('verified') }))
  .response(422, undefined, 'token_invalid: used, expired or never issued')
  .handle(async ({ body, ctx, em }) => {
    await verifyEmail(em, auditOrigin(ctx, null), body.token)
    return { status: 'verified' as const }
  })
