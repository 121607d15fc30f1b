import { z } from 'zod'
import { route } from '../routes/define.ts'
import { decodeCursor, PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { auditEvents } from './audit-policy.ts'

const AuditEventOut = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})

interface AuditRow {
  id: string
  at: Date
  /** `at` with its microseconds, for the cursor (a JS Date keeps milliseconds only). */
  at_key: string
  actor_id: string | null
  actor_name: string | null
  action: string
  target_type: string | null
  target_id: string | null
  ip: string | null
  user_agent: string | null
  details: Record<string, unknown>
}

export const listAuditEvents = route
  .get('/audit-events')
  .summary('The audit log, newest first (admin)', 'audit')
  .auth(auditEvents.read.permission)
  .query(
    z.object({
      ...PageQuery,
      actorId: z.uuid().optional(),
      action: z
        .string()
        .regex(/^[a-z_.]+$/, 'an action such as auth.login_failed')
        .max(100)
        .optional()
        .describe('An action, or the start of one: auth.login matches both sign-in outcomes'),
      since: z.iso.datetime({ offset: true }).optional(),
    }),
  )
  .response(200, pageOf(AuditEventOut))
  .handle(async ({ query, em }) => {
    const after = decodeCursor(query.cursor, z.tuple([z.string().max(40), z.uuid()]))
    const where: string[] = []
    const values: unknown[] = []
    const filter = (sql: string, ...params: unknown[]) => {
      where.push(sql)
      values.push(...params)
    }
    if (query.actorId) filter('e.actor_id = ?', query.actorId)
    if (query.action) filter('starts_with(e.action, ?)', query.action)
    if (query.since) filter('e.at >= ?::timestamptz', query.since)
    if (after) filter('(e.at, e.id) < (?::timestamptz, ?::uuid)', after[0], after[1])
    const rows = await em.execute<AuditRow[]>(
      `select e.id, e.at, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
         e.actor_id, u.name as actor_name, e.action, e.target_type, e.target_id, e.ip,
         e.user_agent, e.details
       from audit_events e left join users u on u.id = e.actor_id
       ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by e.at desc, e.id desc limit ?`,
      [...values, query.limit + 1],
    )
    return toPage(rows, query.limit, presentAuditEvent, (row) => [row.at_key, row.id])
  })

function presentAuditEvent(row: AuditRow): z.input<typeof AuditEventOut> {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? 'Unknown user' } : null,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }
}
