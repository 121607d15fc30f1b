import type { HelpdeskModule } from '../platform/module.ts'
import { createTeam, deleteTeam, listTeams, setTeamMembers, updateTeam } from './routes.ts'

/** Teams of agents; tickets are routed to them. The tables are the accounts migration's. */
export const teamsModule: HelpdeskModule = {
  name: 'teams',
  routes: [listTeams, createTeam, updateTeam, deleteTeam, setTeamMembers],
}
