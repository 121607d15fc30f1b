// Enrolling and removing TOTP. Setup stores a pending secret; enable proves the app has it
// (a code) and turns MFA on, handing out the recovery codes once and ending the person's
// other sessions.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { disableTotp, enableTotp, startTotpSetup } from './commands.ts'
import { MfaCode } from './inputs.ts'

export const setupTotp = route
  .post('/auth/mfa/totp/setup')
  .summary('Start TOTP enrolment: a new secret for the authenticator app', 'auth')
  .auth()
  .body(z.strictObject({}).optional())
  .response(200, z.object({ secret: z.string(), otpauthUrl: z.string() }))
  .response(409, undefined, 'TOTP is already enabled')
  .handle(async ({ actor, em }) => startTotpSetup(em, actor.userId))

export const enableTotpRoute = route
  .post('/auth/mfa/totp/enable')
  .summary('Finish TOTP enrolment with a code from the app; returns recovery codes once', 'auth')
  .auth()
  .body(MfaCode)
  .response(200, z.object({ recoveryCodes: z.array(z.string()) }))
  .response(409, undefined, 'TOTP is already enabled, or setup was not started')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em, services }) => {
    const enabled = await enableTotp(em, auditOrigin(ctx, actor), actor.userId, body.code)
    // Sessions elsewhere signed in with the password alone: from now on that is not enough.
    await services.sessions.destroyForUser(actor.userId, { keep: actor.session?.id })
    return enabled
  })

export const disableTotpRoute = route
  .post('/auth/mfa/totp/disable')
  .summary('Turn TOTP off with a current code or a recovery code', 'auth')
  .auth()
  .body(MfaCode)
  .response(204)
  .response(409, undefined, 'TOTP is not enabled')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em }) => {
    await disableTotp(em, auditOrigin(ctx, actor), actor.userId, body.code)
  })
