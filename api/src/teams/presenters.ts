// The output shape of a team (docs/api.md "Teams"): its name and its members.
import { z } from 'zod'
import { Person } from '../routes/shapes.ts'
import type { TeamEntity } from './entities.ts'

export const TeamOut = z.object({
  id: z.uuid(),
  name: z.string(),
  members: z.array(Person),
  createdAt: z.iso.datetime(),
})
export type TeamOut = z.input<typeof TeamOut>

export function presentTeam(team: TeamEntity, members: Person[]): TeamOut {
  return { id: team.id, name: team.name, members, createdAt: team.createdAt.toISOString() }
}
