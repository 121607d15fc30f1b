// The teams tables (created with the accounts' tables by Migration20261128090000_accounts).
import { defineEntity, p } from '@mikro-orm/core'

export const Team = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    name: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type TeamEntity = InstanceType<typeof Team.class>

/** Agents and admins belong to teams; tickets can be routed to a team. */
export const TeamMember = defineEntity({
  name: 'TeamMember',
  tableName: 'team_members',
  properties: {
    teamId: p.uuid().primary(),
    userId: p.uuid().primary(),
  },
})

export const TEAM_ENTITIES = [Team, TeamMember]
