// Reads of the teams area: pages of teams by name, one team, and the members of teams.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { decodeCursor, KeyText, toPage } from '../routes/pagination.ts'
import type { Person } from '../routes/shapes.ts'
import { Team, type TeamEntity } from './entities.ts'
import { presentTeam } from './presenters.ts'

/** A page of teams by name, each with its members. */
export async function teamPage(em: EntityManager, page: { limit: number; cursor?: string }) {
  const after = decodeCursor(page.cursor, z.tuple([KeyText, z.uuid()]))
  const rows = await em.find(
    Team,
    after ? { $or: [{ name: { $gt: after[0] } }, { name: after[0], id: { $gt: after[1] } }] } : {},
    { orderBy: { name: 'asc', id: 'asc' }, limit: page.limit + 1 },
  )
  const members = await membersOf(
    em,
    rows.map((team) => team.id),
  )
  return toPage(
    rows,
    page.limit,
    (team) => presentTeam(team, members.get(team.id) ?? []),
    (team) => [team.name, team.id],
  )
}

export async function findTeam(em: EntityManager, id: string): Promise<TeamEntity> {
  const team = await em.findOne(Team, { id })
  if (!team) throw new HttpError('not_found', { detail: 'no such team' })
  return team
}

/** Members (not erased) of these teams, by name, keyed by team id. */
export async function membersOf(
  em: EntityManager,
  teamIds: string[],
): Promise<Map<string, Person[]>> {
  const members = new Map<string, Person[]>()
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

/** The team as presented, with its current members. */
export async function teamWithMembers(em: EntityManager, team: TeamEntity) {
  return presentTeam(team, (await membersOf(em, [team.id])).get(team.id) ?? [])
}
