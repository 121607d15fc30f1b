// GDPR for the audit log (src/privacy/personal-data.ts): the events a person did or that were
// about them. The log is append-only: these rows stay after erasure (they hold ids, addresses
// and user agents, kept for security), but no name or email — names are joined in when read.
// Addresses and user agents are the subject's own data only on events they performed: on the
// others they belong to whoever acted (staff), and a failed sign-in, though filed under the
// account tried, may have been anyone's.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'

async function auditEventsAbout(em: EntityManager, userId: string) {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select id, at, action, target_type, target_id, ip, user_agent, details,
       actor_id = ? as by_them, action = 'auth.login_failed' as unproven
     from audit_events
     where actor_id = ? or (target_type = 'user' and target_id = ?)
     order by at, id`,
    [userId, userId, userId],
  )
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at as string).toISOString(),
    action: row.action,
    byThem: row.by_them,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.by_them && !row.unproven ? row.ip : null,
    userAgent: row.by_them && !row.unproven ? row.user_agent : null,
    details: row.details,
  }))
}

export const auditPersonalData: PersonalDataSource = {
  name: 'audit',
  async export(em, userId) {
    return { auditEvents: await auditEventsAbout(em, userId) }
  },
  async erase() {
    return { storageKeys: [] }
  },
}
