import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { route } from '../routes/define.ts'
import { readSettings, Settings, writeSettings } from './settings.ts'
import { settings } from './settings-policy.ts'

export const getPublicSettings = route
  .get('/settings/public')
  .summary('What the sign-in page and composers need before anyone signs in', 'settings')
  .public()
  .response(200, z.object({ selfSignupEnabled: z.boolean(), maxAttachmentBytes: z.number() }))
  .handle(async ({ em, services }) => ({
    selfSignupEnabled: (await readSettings(em)).selfSignupEnabled,
    maxAttachmentBytes: services.config.maxAttachmentBytes,
  }))

export const getSettings = route
  .get('/settings')
  .summary('Instance settings (admin)', 'settings')
  .auth(settings.read.permission)
  .response(200, Settings)
  .handle(async ({ em }) => readSettings(em))

export const updateSettings = route
  .put('/settings')
  .summary('Change instance settings (admin); omitted settings keep their value', 'settings')
  .auth(settings.update.permission)
  .body(Settings.partial())
  .response(200, Settings)
  .handle(async ({ body, actor, ctx, em }) =>
    em.transactional(async (tx) => {
      const before = await readSettings(tx)
      const after = await writeSettings(tx, body)
      const changed = (Object.keys(after) as (keyof Settings)[]).filter(
        (name) => before[name] !== after[name],
      )
      if (changed.length > 0) {
        await recordAudit(tx, auditOrigin(ctx, actor), {
          action: 'settings.updated',
          targetType: 'settings',
          details: Object.fromEntries(
            changed.map((name) => [name, { from: before[name], to: after[name] }]),
          ),
        })
      }
      return after
    }),
  )
