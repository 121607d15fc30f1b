// Writes of the teams area, each audited: create, rename, delete, and replace the members
// (agents and admins only).
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { User } from '../accounts/entities.ts'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import { HttpError } from '../errors.ts'
import { Team, type TeamEntity, TeamMember } from './entities.ts'
import { findTeam } from './queries.ts'

export async function createTeam(
  em: EntityManager,
  origin: AuditOrigin,
  name: string,
): Promise<TeamEntity> {
  const team = em.create(Team, { name })
  await flushNamed(em)
  await recordAudit(em, origin, { action: 'team.created', targetType: 'team', targetId: team.id })
  return team
}

export async function renameTeam(
  em: EntityManager,
  origin: AuditOrigin,
  id: string,
  name: string,
): Promise<TeamEntity> {
  const team = await findTeam(em, id)
  team.name = name
  await flushNamed(em)
  await recordAudit(em, origin, { action: 'team.updated', targetType: 'team', targetId: team.id })
  return team
}

/** Its tickets keep no team (the foreign key sets them null). */
export async function deleteTeam(em: EntityManager, origin: AuditOrigin, id: string) {
  const team = await findTeam(em, id)
  em.remove(team)
  await em.flush()
  await recordAudit(em, origin, { action: 'team.deleted', targetType: 'team', targetId: id })
}

export async function setTeamMembers(
  em: EntityManager,
  origin: AuditOrigin,
  id: string,
  requested: string[],
): Promise<TeamEntity> {
  const userIds = [...new Set(requested)]
  return em.transactional(async (tx) => {
    const team = await findTeam(tx, id)
    await assertStaff(tx, userIds)
    await tx.nativeDelete(TeamMember, { teamId: team.id })
    for (const userId of userIds) tx.create(TeamMember, { teamId: team.id, userId })
    await tx.flush()
    await recordAudit(tx, origin, {
      action: 'team.members_changed',
      targetType: 'team',
      targetId: team.id,
      details: { userIds },
    })
    return team
  })
}

async function assertStaff(em: EntityManager, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return
  const staff = await em.find(User, {
    id: { $in: userIds },
    role: { $in: ['agent', 'admin'] },
    erasedAt: null,
  })
  const known = new Set(staff.map((user) => user.id))
  const errors = userIds.flatMap((id, index) =>
    known.has(id) ? [] : [{ path: `body.userIds.${index}`, message: 'not an agent or admin' }],
  )
  if (errors.length > 0) {
    throw new HttpError('unprocessable', { detail: 'members must be agents or admins', errors })
  }
}

async function flushNamed(em: EntityManager): Promise<void> {
  try {
    await em.flush()
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error
    throw new HttpError('conflict', {
      detail: 'a team with this name exists',
      errors: [{ path: 'body.name', message: 'already in use' }],
    })
  }
}
