// The output shape of an audit event (docs/api.md "Audit"). The actor's name is joined in when
// read: the rows hold ids only, so an erased user shows as "Erased user".
import { z } from 'zod'
import type { AuditRow } from './queries.ts'

export const AuditEventOut = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetName: z
    .string()
    .nullable()
    .describe(
      'The target’s name now (a user, team, API token or mail channel); "Erased user" once erased',
    ),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})

export function presentAuditEvent(row: AuditRow): z.input<typeof AuditEventOut> {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? 'Unknown user' } : null,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }
}
