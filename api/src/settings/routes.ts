import { auditOrigin } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { changeSettings } from './commands.ts'
import { SettingsChanges } from './inputs.ts'
import { settings } from './policy.ts'
import { PublicSettings, Settings } from './presenters.ts'
import { readSettings } from './queries.ts'

export const getPublicSettings = route
  .get('/settings/public')
  .operationId('getPublicSettings')
  .summary('What the sign-in page and composers need before anyone signs in', 'settings')
  .public()
  .response(200, PublicSettings)
  .handle(async ({ em, services }) => {
    const { selfSignupEnabled, customerPriorities } = await readSettings(em)
    return {
      selfSignupEnabled,
      customerPriorities,
      maxAttachmentBytes: services.config.maxAttachmentBytes,
    }
  })

export const getSettings = route
  .get('/settings')
  .operationId('getSettings')
  .summary('Instance settings (admin)', 'settings')
  .auth(settings.read.permission)
  .response(200, Settings)
  .handle(async ({ em }) => readSettings(em))

export const updateSettings = route
  .put('/settings')
  .operationId('updateSettings')
  .summary('Change instance settings (admin); omitted settings keep their value', 'settings')
  .auth(settings.update.permission)
  .body(SettingsChanges)
  .response(200, Settings)
  .handle(async ({ body, actor, ctx, em, services }) => {
    const changed = await changeSettings(em, auditOrigin(ctx, actor), body)
    // Whether agents must use MFA decides what every agent's session may do.
    if (body.mfaRequiredForAgents !== undefined) await services.sessions.actorChanged()
    return changed
  })
