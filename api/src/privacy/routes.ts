// GDPR: export everything stored about a person; erase it (admin). Both are audited.
import { z } from 'zod'
import { users } from '../accounts/user-policy.ts'
import { assertAnotherAdmin } from '../accounts/user-routes.ts'
import { findUser } from '../accounts/users.ts'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { PERSONAL_DATA_SOURCES } from './sources.ts'

const UserId = z.object({ id: z.uuid() })

export const exportUser = route
  .get('/users/:id/export')
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
    const sections: Record<string, unknown> = {}
    for (const source of PERSONAL_DATA_SOURCES) {
      Object.assign(sections, await source.export(em, params.id))
    }
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
  .summary('Erase a user’s personal data irreversibly; tickets stay, as "Erased user"', 'users')
  .params(UserId)
  .auth(users.erase.permission)
  .body(z.strictObject({}).optional())
  .response(204)
  .response(409, undefined, 'The last admin cannot be erased')
  .handle(async ({ params, actor, ctx, em, services }) => {
    authorize(actor, users.erase, params)
    await em.transactional(async (tx) => {
      const user = await findUser(tx, params.id, { forUpdate: true })
      if (user.role === 'admin') await assertAnotherAdmin(tx, user.id)
      const storageKeys: string[] = []
      for (const source of PERSONAL_DATA_SOURCES) {
        storageKeys.push(...(await source.erase(tx, user.id)).storageKeys)
      }
      // Before commit: if storage fails, the erasure rolls back and can simply be run again.
      for (const key of storageKeys) await services.storage.delete(key)
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'user.erased',
        targetType: 'user',
        targetId: user.id,
        details: { uploadsDeleted: storageKeys.length },
      })
    })
    await services.sessions.destroyForUser(params.id)
  })
