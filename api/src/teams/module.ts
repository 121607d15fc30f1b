import type { HelpdeskModule } from '../platform/module.ts'
import { TEAM_ENTITIES } from './entities.ts'
import {
  createTeamRoute,
  deleteTeamRoute,
  listTeams,
  replaceTeamMembers,
  updateTeam,
} from './routes.ts'

/** Teams of agents; tickets are routed to them. The tables are the accounts migration's. */
export const teamsModule: HelpdeskModule = {
  name: 'teams',
  entities: TEAM_ENTITIES,
  routes: [listTeams, createTeamRoute, updateTeam, deleteTeamRoute, replaceTeamMembers],
}
