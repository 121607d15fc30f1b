// Teams and their members. Only agents and admins can be members.
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { Team, type TeamEntity, TeamMember, User } from '../accounts/entities.ts'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import { decodeCursor, PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { teams } from './team-policy.ts'

const TeamName = z.string().trim().min(1).max(100)
const TeamId = z.object({ id: z.uuid() })
const Person = z.object({ id: z.uuid(), name: z.string() })
const TeamOut = z.object({
  id: z.uuid(),
  name: z.string(),
  members: z.array(Person),
  createdAt: z.iso.datetime(),
})
type TeamOut = z.input<typeof TeamOut>
/** More members than any helpdesk team has; keeps one request bounded. */
const MAX_MEMBERS = 500

export const listTeams = route
  .get('/teams')
  .summary('Teams by name, with their members', 'teams')
  .auth(teams.list.permission)
  .query(z.object(PageQuery))
  .response(200, pageOf(TeamOut))
  .handle(async ({ query, em }) => {
    const after = decodeCursor(query.cursor, z.tuple([z.string(), z.uuid()]))
    const rows = await em.find(
      Team,
      after
        ? { $or: [{ name: { $gt: after[0] } }, { name: after[0], id: { $gt: after[1] } }] }
        : {},
      { orderBy: { name: 'asc', id: 'asc' }, limit: query.limit + 1 },
    )
    const members = await membersOf(
      em,
      rows.map((team) => team.id),
    )
    return toPage(
      rows,
      query.limit,
      (team) => presentTeam(team, members.get(team.id) ?? []),
      (team) => [team.name, team.id],
    )
  })

export const createTeam = route
  .post('/teams')
  .summary('Create a team (admin)', 'teams')
  .auth(teams.create.permission)
  .body(z.object({ name: TeamName }))
  .response(201, TeamOut)
  .response(409, undefined, 'A team has this name')
  .handle(async ({ body, actor, ctx, em }) => {
    const team = em.create(Team, { name: body.name })
    await flushNamed(em)
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'team.created',
      targetType: 'team',
      targetId: team.id,
    })
    return presentTeam(team, [])
  })

export const updateTeam = route
  .patch('/teams/:id')
  .summary('Rename a team (admin)', 'teams')
  .params(TeamId)
  .auth(teams.update.permission)
  .body(z.object({ name: TeamName }))
  .response(200, TeamOut)
  .response(409, undefined, 'A team has this name')
  .handle(async ({ params, body, actor, ctx, em }) => {
    const team = await findTeam(em, params.id)
    team.name = body.name
    await flushNamed(em)
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'team.updated',
      targetType: 'team',
      targetId: team.id,
    })
    return presentTeam(team, (await membersOf(em, [team.id])).get(team.id) ?? [])
  })

export const deleteTeam = route
  .delete('/teams/:id')
  .summary('Delete a team (admin); its tickets keep no team', 'teams')
  .params(TeamId)
  .auth(teams.delete.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em }) => {
    const team = await findTeam(em, params.id)
    em.remove(team)
    await em.flush()
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'team.deleted',
      targetType: 'team',
      targetId: params.id,
    })
  })

export const setTeamMembers = route
  .put('/teams/:id/members')
  .summary('Replace a team’s members (agents and admins)', 'teams')
  .params(TeamId)
  .auth(teams.update.permission)
  .body(z.object({ userIds: z.array(z.uuid()).max(MAX_MEMBERS) }))
  .response(200, TeamOut)
  .response(422, undefined, 'A user is unknown or a customer')
  .handle(async ({ params, body, actor, ctx, em }) => {
    const userIds = [...new Set(body.userIds)]
    return em.transactional(async (tx) => {
      const team = await findTeam(tx, params.id)
      await assertStaff(tx, userIds)
      await tx.nativeDelete(TeamMember, { teamId: team.id })
      for (const userId of userIds) tx.create(TeamMember, { teamId: team.id, userId })
      await tx.flush()
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'team.members_changed',
        targetType: 'team',
        targetId: team.id,
        details: { userIds },
      })
      return presentTeam(team, (await membersOf(tx, [team.id])).get(team.id) ?? [])
    })
  })

async function findTeam(em: EntityManager, id: string): Promise<TeamEntity> {
  const team = await em.findOne(Team, { id })
  if (!team) throw new HttpError('not_found', { detail: 'no such team' })
  return team
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

async function membersOf(
  em: EntityManager,
  teamIds: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const members = new Map<string, { id: string; name: string }[]>()
  if (teamIds.length === 0) return members
  const rows = await em.execute<{ team_id: string; id: string; name: string }[]>(
    `select m.team_id, u.id, u.name from team_members m join users u on u.id = m.user_id
     where m.team_id in (?) and u.erased_at is null order by u.name, u.id`,
    [teamIds],
  )
  for (const row of rows) {
    const list = members.get(row.team_id) ?? []
    list.push({ id: row.id, name: row.name })
    members.set(row.team_id, list)
  }
  return members
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

function presentTeam(team: TeamEntity, members: { id: string; name: string }[]): TeamOut {
  return { id: team.id, name: team.name, members, createdAt: team.createdAt.toISOString() }
}
