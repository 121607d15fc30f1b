// Enrolling and removing TOTP, and replacing the recovery codes. Setup stores a pending
// secret; enable proves the app has it (a code) and turns MFA on, handing out the recovery
// codes once and ending the person's other sessions. Every step needs a browser session
// whose password was typed recently (credentials.ts), and turning MFA on or off revokes the
// person's API tokens.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { disableTotp, enableTotp, replaceRecoveryCodes, startTotpSetup } from './commands.ts'
import { assertRecentPassword } from './credentials.ts'
import { MfaCode } from './inputs.ts'

const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) })
const NOT_RECENT = 'Not a browser session, or its password was typed too long ago'

export const setupTotp = route
  .post('/auth/mfa/totp/setup')
  .operationId('setupTotp')
  .summary('Start TOTP enrolment: a new secret for the authenticator app', 'auth')
  .auth()
  .body(z.strictObject({}).optional())
  .response(200, z.object({ secret: z.string(), otpauthUrl: z.string() }))
  .response(403, undefined, NOT_RECENT)
  .response(409, undefined, 'TOTP is already enabled')
  .handle(async ({ actor, em, services }) => {
    assertRecentPassword(actor)
    return startTotpSetup(em, services.sealer, actor.userId)
  })

export const enableTotpRoute = route
  .post('/auth/mfa/totp/enable')
  .operationId('enableTotp')
  .summary('Finish TOTP enrolment with a code from the app; returns recovery codes once', 'auth')
  .auth()
  .body(MfaCode)
  .response(200, RecoveryCodes)
  .response(403, undefined, NOT_RECENT)
  .response(409, undefined, 'TOTP is already enabled, or setup was not started')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em, services }) => {
    assertRecentPassword(actor)
    const origin = auditOrigin(ctx, actor)
    const enabled = await enableTotp(em, services.sealer, origin, actor.userId, body.code)
    // Sessions elsewhere signed in with the password alone: from now on that is not enough.
    await services.sessions.destroyForUser(actor.userId, { keep: actor.session?.id })
    return enabled
  })

export const disableTotpRoute = route
  .post('/auth/mfa/totp/disable')
  .operationId('disableTotp')
  .summary('Turn TOTP off with a current code or a recovery code', 'auth')
  .auth()
  .body(MfaCode)
  .response(204)
  .response(403, undefined, NOT_RECENT)
  .response(409, undefined, 'TOTP is not enabled')
  .response(422, undefined, 'The code is wrong')
  .handle(async ({ actor, body, ctx, em, services }) => {
    assertRecentPassword(actor)
    await disableTotp(em, services.sealer, auditOrigin(ctx, actor), actor.userId, body.code)
    // Admin-only permissions are withheld again, in every session of the user.
    await services.sessions.actorChanged(actor.userId)
  })

export const regenerateRecoveryCodes = route
  .post('/auth/mfa/recovery-codes')
  .operationId('regenerateRecoveryCodes')
  .summary('Replace the recovery codes; the new ones are in this answer only', 'auth')
  .auth()
  .body(z.strictObject({}).optional())
  .response(200, RecoveryCodes)
  .response(403, undefined, NOT_RECENT)
  .response(409, undefined, 'TOTP is not enabled')
  .handle(async ({ actor, ctx, em }) => {
    assertRecentPassword(actor)
    return replaceRecoveryCodes(em, auditOrigin(ctx, actor), actor.userId)
  })
