// Enrolling and removing TOTP. Setup stores a pending secret; enable proves the app has it
// (a code) and turns MFA on, handing out the recovery codes once and ending the person's
// other sessions.
import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import { acceptTotp, issueRecoveryCodes, verifySecondFactor } from './mfa.ts'
import { newTotpSecret, otpauthUrl } from './totp.ts'
import { findUser } from './users.ts'

const ISSUER = 'Helpdesk'

const Code = z.strictObject({ code: z.string().trim().min(6).max(64) })

export const setupTotp = route
  .post('/auth/mfa/totp/setup')
  .summary('Start TOTP enrolment: a new secret for the authenticator app', 'auth')
  .auth()
  .body(z.strictObject({}).optional())
  .response(200, z.object({ secret: z.string(), otpauthUrl: z.string() }))
  .response(409, undefined, 'TOTP is already enabled')
  .handle(async ({ actor, em }) => {
    const user = await findUser(em, actor.userId)
    if (user.mfaEnabled) {
      throw new HttpError('conflict', { detail: 'two-factor sign-in is already on' })
    }
    const secret = newTotpSecret()
    user.totpPendingSecret = secret
    await em.flush()
    return { secret, otpauthUrl: otpauthUrl(secret, user.email, ISSUER) }
  })

export const enableTotp = route
  .post('/auth/mfa/totp/enable')
  .summary('Finish TOTP enrolment with a code from the app; returns recovery codes once', 'auth')
  .auth()
  .body(Code)
  .response(200, z.object({ recoveryCodes: z.array(z.string()) }))
  .response(409, undefined, 'TOTP is already enabled, or setup was not started')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em, services }) => {
    const enabled = await em.transactional(async (tx) => {
      const user = await findUser(tx, actor.userId, { forUpdate: true })
      if (user.mfaEnabled || !user.totpPendingSecret) {
        throw new HttpError('conflict', {
          detail: user.mfaEnabled ? 'two-factor sign-in is already on' : 'start with setup',
        })
      }
      if (!(await acceptTotp(tx, user, user.totpPendingSecret, body.code))) throw wrongCode()
      user.totpSecret = user.totpPendingSecret
      user.totpPendingSecret = null
      user.mfaEnabled = true
      const recoveryCodes = await issueRecoveryCodes(tx, user.id)
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'auth.mfa_enabled',
        targetType: 'user',
        targetId: user.id,
      })
      return { recoveryCodes }
    })
    // Sessions elsewhere signed in with the password alone: from now on that is not enough.
    await services.sessions.destroyForUser(actor.userId, { keep: actor.session?.id })
    return enabled
  })

export const disableTotp = route
  .post('/auth/mfa/totp/disable')
  .summary('Turn TOTP off with a current code or a recovery code', 'auth')
  .auth()
  .body(Code)
  .response(204)
  .response(409, undefined, 'TOTP is not enabled')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em }) => {
    await em.transactional(async (tx) => {
      const user = await findUser(tx, actor.userId, { forUpdate: true })
      if (!user.mfaEnabled) throw new HttpError('conflict', { detail: 'two-factor sign-in is off' })
      const factor = /^\d{6}$/.test(body.code) ? { totp: body.code } : { recoveryCode: body.code }
      if (!(await verifySecondFactor(tx, user, factor))) throw wrongCode()
      user.mfaEnabled = false
      user.totpSecret = null
      await tx.execute('delete from recovery_codes where user_id = ?', [user.id], 'run')
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'auth.mfa_disabled',
        targetType: 'user',
        targetId: user.id,
      })
    })
  })

function wrongCode(): HttpError {
  return new HttpError('unprocessable', {
    detail: 'the code is wrong or was already used',
    errors: [{ path: 'body.code', message: 'wrong or already used' }],
  })
}
