// The audit log writer. Every feature records its security-relevant events through
// recordAudit, inside the transaction of the change it describes when there is one.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import type { Actor } from '../http/actor.ts'

/**
 * Where an event came from. `actorId` is who did it (null: nobody signed in, e.g. a failed
 * login for an unknown email).
 */
export interface AuditOrigin {
  actorId: string | null
  ip: string | null
  userAgent: string | null
}

export interface AuditEntry {
  /** `<area>.<event>`, lower case: `auth.login_failed`, `user.role_changed`. */
  action: string
  targetType?: string
  targetId?: string
  /** Ids and facts, never secrets; prefer ids over names and emails (erasure cannot reach here). */
  details?: Record<string, unknown>
}

/** The request's client and, unless given, its actor. */
export function auditOrigin(
  ctx: Context,
  actor: Pick<Actor, 'userId'> | null | undefined,
): AuditOrigin {
  return {
    actorId: actor?.userId ?? null,
    ip: ctx.ip || null,
    userAgent: ctx.get('User-Agent').slice(0, 512) || null,
  }
}

/** A background job or the CLI: no client. */
export function systemOrigin(actorId: string | null = null): AuditOrigin {
  return { actorId, ip: null, userAgent: null }
}

export async function recordAudit(
  em: EntityManager,
  origin: AuditOrigin,
  entry: AuditEntry,
): Promise<void> {
  await em.execute(
    `insert into audit_events (actor_id, action, target_type, target_id, ip, user_agent, details)
     values (?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      origin.actorId,
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      origin.ip,
      origin.userAgent,
      JSON.stringify(entry.details ?? {}),
    ],
  )
}
