// Who a session or token belongs to, and what they may do right now: the role's permissions,
// minus those withheld until the user enrols MFA when they must.
import { createHash } from 'node:crypto'
import { defineErrorType } from '../errors.ts'
import type { Actor, AuthHooks } from '../http/actor.ts'
import { adminOnlyPermissions, permissionsOf } from '../policies/policy.ts'
import { isRole, type Role } from '../policies/roles.ts'

export const MFA_ENROLLMENT_REQUIRED = defineErrorType('mfa_enrollment_required', {
  status: 403,
  title: 'Two-factor sign-in must be set up first',
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** lastUsedAt is a hint for people, not an access log: one write a minute per token is plenty. */
const TOKEN_TOUCH_INTERVAL = '1 minute'

interface ActorRow {
  id: string
  role: string
  mfa_enabled: boolean
  mfa_required: boolean
  agents_need_mfa: boolean
}

const ACTOR_COLUMNS = `u.id, u.role, u.mfa_enabled, u.mfa_required,
  coalesce((select value = 'true'::jsonb from app_setting
            where key = 'mfa_required_for_agents'), false) as agents_need_mfa`

export const accountAuthHooks: AuthHooks = {
  async actorFromSession(session, em) {
    if (!UUID.test(session.userId)) return null
    const [row] = await em.execute<ActorRow[]>(
      `select ${ACTOR_COLUMNS} from users u where u.id = ? and u.erased_at is null`,
      [session.userId],
    )
    return row ? actorFromRow(row, 'session') : null
  },
  async actorFromToken(token, em) {
    const [row] = await em.execute<ActorRow[]>(
      `with token as (
         select id, user_id from api_tokens
         where token_hash = ? and (expires_at is null or expires_at > now())),
       touched as (
         update api_tokens t set last_used_at = now() from token
         where t.id = token.id
           and (t.last_used_at is null or t.last_used_at < now() - interval '${TOKEN_TOUCH_INTERVAL}'))
       select ${ACTOR_COLUMNS} from token join users u on u.id = token.user_id
       where u.erased_at is null`,
      [hashToken(token)],
    )
    return row ? actorFromRow(row, 'token') : null
  },
}

/** API tokens and recovery codes are high-entropy secrets: a plain SHA-256 suffices. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

function actorFromRow(row: ActorRow, via: Actor['via']): Actor | null {
  if (!isRole(row.role)) return null
  const granted = permissionsOf(row.role)
  const withheld = withheldUntilMfa(row.role, row)
  const actor: Actor = { userId: row.id, role: row.role, via, permissions: granted }
  if (withheld.size === 0) return actor
  return {
    ...actor,
    permissions: new Set([...granted].filter((permission) => !withheld.has(permission))),
    withheld: {
      permissions: withheld,
      type: MFA_ENROLLMENT_REQUIRED,
      detail: 'set up two-factor sign-in (POST /api/v1/auth/mfa/totp/setup) to continue',
    },
  }
}

/**
 * Admins must use MFA for everything only admins can do; someone an admin requires MFA of
 * (one user, or every agent) can do nothing but enrol until they have.
 */
function withheldUntilMfa(
  role: Role,
  user: Pick<ActorRow, 'mfa_enabled' | 'mfa_required' | 'agents_need_mfa'>,
): ReadonlySet<string> {
  if (user.mfa_enabled) return new Set()
  if (user.mfa_required || (role === 'agent' && user.agents_need_mfa)) return permissionsOf(role)
  return role === 'admin' ? adminOnlyPermissions() : new Set()
}
