// The audit log, newest first, filtered and in keyset pages.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { decodeCursor, runKeysetQuery } from '../routes/pagination.ts'
import { Timestamp } from '../routes/text.ts'

export interface AuditRow {
  id: string
  at: Date
  /** `at` with its microseconds, for the cursor (a JS Date keeps milliseconds only). */
  at_key: string
  actor_id: string | null
  actor_name: string | null
  action: string
  target_type: string | null
  target_id: string | null
  target_name: string | null
  ip: string | null
  user_agent: string | null
  details: Record<string, unknown>
}

export interface AuditPageRequest {
  limit: number
  cursor?: string | undefined
  actorId?: string | undefined
  /** An action, or the start of one. */
  action?: string | undefined
  since?: string | undefined
}

/**
 * The display name of an event's target, read now: the rows hold ids only, so a renamed team
 * shows its current name and an erased user the placeholder erasure left ("Erased user"),
 * never the name they had. Targets without a name of their own (settings, a mail) get null.
 */
const TARGET_NAME = `case e.target_type
    when 'user' then (select t.name from users t where t.id = e.target_id::uuid)
    when 'team' then (select t.name from teams t where t.id = e.target_id::uuid)
    when 'api_token' then (select t.name from api_tokens t where t.id = e.target_id::uuid)
    when 'mail_channel' then (select t.name from mail_channels t where t.id = e.target_id::uuid)
    when 'canned_response' then (select t.title from canned_responses t where t.id = e.target_id::uuid)
  end`

/** `limit + 1` rows (see toPage), newest first. */
export async function auditRows(em: EntityManager, request: AuditPageRequest) {
  const after = decodeCursor(request.cursor, z.tuple([Timestamp, z.uuid()]))
  const where: string[] = []
  const values: unknown[] = []
  const filter = (sql: string, ...params: unknown[]) => {
    where.push(sql)
    values.push(...params)
  }
  if (request.actorId) filter('e.actor_id = ?', request.actorId)
  if (request.action) filter('starts_with(e.action, ?)', request.action)
  if (request.since) filter('e.at >= ?::timestamptz', request.since)
  if (after) filter('(e.at, e.id) < (?::timestamptz, ?::uuid)', after[0], after[1])
  return runKeysetQuery<AuditRow>(
    em,
    `select e.id, e.at, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
       e.actor_id, u.name as actor_name, e.action, e.target_type, e.target_id,
       ${TARGET_NAME} as target_name, e.ip, e.user_agent, e.details
     from audit_events e left join users u on u.id = e.actor_id
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by e.at desc, e.id desc limit ?`,
    [...values, request.limit + 1],
  )
}
