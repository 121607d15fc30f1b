// Teams and their members. Only agents and admins can be members.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf } from '../routes/pagination.ts'
import { createTeam, deleteTeam, renameTeam, setTeamMembers } from './commands.ts'
import { TeamMembers, TeamName } from './inputs.ts'
import { teams } from './policy.ts'
import { presentTeam, TeamOut } from './presenters.ts'
import { teamPage, teamWithMembers } from './queries.ts'

const TeamId = z.object({ id: z.uuid() })

export const listTeams = route
  .get('/teams')
  .operationId('listTeams')
  .summary('Teams by name, with their members', 'teams')
  .auth(teams.list.permission)
  .query(z.object(PageQuery))
  .response(200, pageOf(TeamOut))
  .handle(async ({ query, em }) => teamPage(em, query))

export const createTeamRoute = route
  .post('/teams')
  .operationId('createTeam')
  .summary('Create a team (admin)', 'teams')
  .auth(teams.create.permission)
  .body(TeamName)
  .response(201, TeamOut)
  .response(409, undefined, 'A team has this name')
  .handle(async ({ body, actor, ctx, em }) =>
    presentTeam(await createTeam(em, auditOrigin(ctx, actor), body.name), []),
  )

export const updateTeam = route
  .patch('/teams/:id')
  .operationId('updateTeam')
  .summary('Rename a team (admin)', 'teams')
  .params(TeamId)
  .auth(teams.update.permission)
  .body(TeamName)
  .response(200, TeamOut)
  .response(409, undefined, 'A team has this name')
  .handle(async ({ params, body, actor, ctx, em }) =>
    teamWithMembers(em, await renameTeam(em, auditOrigin(ctx, actor), params.id, body.name)),
  )

export const deleteTeamRoute = route
  .delete('/teams/:id')
  .operationId('deleteTeam')
  .summary('Delete a team (admin); its tickets keep no team', 'teams')
  .params(TeamId)
  .auth(teams.delete.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em }) => {
    await deleteTeam(em, auditOrigin(ctx, actor), params.id)
  })

export const replaceTeamMembers = route
  .put('/teams/:id/members')
  .operationId('replaceTeamMembers')
  .summary('Replace a team’s members (agents and admins)', 'teams')
  .params(TeamId)
  .auth(teams.update.permission)
  .body(TeamMembers)
  .response(200, TeamOut)
  .response(422, undefined, 'A user is unknown or a customer')
  .handle(async ({ params, body, actor, ctx, em }) =>
    teamWithMembers(em, await setTeamMembers(em, auditOrigin(ctx, actor), params.id, body.userIds)),
  )
