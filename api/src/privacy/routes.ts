// GDPR: export everything stored about a person; erase it (admin). Both are audited.
import { z } from 'zod'
import { users } from '../accounts/policy.ts'
import { findUser } from '../accounts/queries.ts'
import { auditOrigin, recordAudit } from '../audit/commands.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { erasePersonalData } from './commands.ts'
import { personalData } from './queries.ts'

const UserId = z.object({ id: z.uuid() })

export const exportUser = route
  .get('/users/:id/export')
  .operationId('exportUser')
  .summary('Everything stored about a user, as one JSON document (admin, or themself)', 'users')
  .params(UserId)
  .auth(users.export.permission)
  .response(
    200,
    z
      .object({ exportedAt: z.iso.datetime(), userId: z.uuid() })
      .catchall(z.unknown())
      .describe('profile, teams, apiTokens, auditEvents, and each feature’s own sections'),
  )
  .handle(async ({ params, actor, ctx, em }) => {
    authorize(actor, users.export, params)
    await findUser(em, params.id)
    const sections = await personalData(em, params.id)
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'user.exported',
      targetType: 'user',
      targetId: params.id,
    })
    ctx.set('Content-Disposition', `attachment; filename="user-${params.id}.json"`)
    return { exportedAt: new Date().toISOString(), userId: params.id, ...sections }
  })

export const eraseUser = route
  .post('/users/:id/erase')
  .operationId('eraseUser')
  .summary('Erase a user’s personal data irreversibly; tickets stay, as "Erased user"', 'users')
  .params(UserId)
  .auth(users.erase.permission)
  .body(z.strictObject({}).optional())
  .response(204)
  .response(409, undefined, 'The last admin cannot be erased')
  .handle(async ({ params, actor, ctx, em, services }) => {
    authorize(actor, users.erase, params)
    await erasePersonalData(em, auditOrigin(ctx, actor), services.storage, params.id)
    await services.sessions.destroyForUser(params.id)
  })
