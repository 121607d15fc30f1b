// What the accounts feature keeps about a person: the profile, team memberships, API token
// metadata and the audit events by or about them.
import type { EntityManager } from '@mikro-orm/postgresql'
import { ApiToken, TeamMember, User } from '../accounts/entities.ts'
import { presentUser } from '../accounts/users.ts'
import type { PersonalDataSource } from './personal-data.ts'

export const ERASED_NAME = 'Erased user'

export const accountsPersonalData: PersonalDataSource = {
  name: 'accounts',
  async export(em, userId) {
    const user = await em.findOneOrFail(User, { id: userId })
    const tokens = await em.find(ApiToken, { userId }, { orderBy: { createdAt: 'asc' } })
    return {
      profile: { ...presentUser(user), updatedAt: user.updatedAt.toISOString() },
      teams: await teamsOf(em, userId),
      apiTokens: tokens.map((token) => ({
        id: token.id,
        name: token.name,
        createdAt: token.createdAt.toISOString(),
        expiresAt: token.expiresAt?.toISOString() ?? null,
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      })),
      auditEvents: await auditEventsAbout(em, userId),
    }
  },
  async erase(em, userId) {
    await em.nativeUpdate(
      User,
      { id: userId },
      {
        // Unique and clearly not an address anyone can receive mail at.
        email: `erased-${userId}@erased.invalid`,
        name: ERASED_NAME,
        passwordHash: null,
        mfaEnabled: false,
        mfaRequired: false,
        totpSecret: null,
        totpPendingSecret: null,
        totpLastStep: null,
        erasedAt: new Date(),
      },
    )
    await em.nativeDelete(ApiToken, { userId })
    await em.nativeDelete(TeamMember, { userId })
    await em.execute('delete from recovery_codes where user_id = ?', [userId], 'run')
    return { storageKeys: [] }
  },
}

async function teamsOf(em: EntityManager, userId: string) {
  return em.execute<{ id: string; name: string }[]>(
    `select t.id, t.name from team_members m join teams t on t.id = m.team_id
     where m.user_id = ? order by t.name`,
    [userId],
  )
}

/**
 * Events they did or that were about them. The audit log is append-only: these rows stay after
 * erasure (they hold ids, addresses and user agents, kept for security), but no name or email.
 */
async function auditEventsAbout(em: EntityManager, userId: string) {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select id, at, action, target_type, target_id, ip, user_agent, details,
       actor_id = ? as by_them
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
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }))
}
