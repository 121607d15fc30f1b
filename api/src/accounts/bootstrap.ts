import type { EntityManager } from '@mikro-orm/postgresql'
import { recordAudit, systemOrigin } from '../audit/audit.ts'
import type { BootstrapAdminInput } from '../platform/module.ts'
import { createUser, Email, NewPassword } from './users.ts'

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
