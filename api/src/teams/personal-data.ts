// GDPR for the teams area (src/privacy/personal-data.ts): the teams a person belongs to;
// erasure ends their memberships.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { TeamMember } from './entities.ts'

async function teamsOf(em: EntityManager, userId: string) {
  return em.execute<{ id: string; name: string }[]>(
    `select t.id, t.name from team_members m join teams t on t.id = m.team_id
     where m.user_id = ? order by t.name`,
    [userId],
  )
}

export const teamsPersonalData: PersonalDataSource = {
  name: 'teams',
  async export(em, userId) {
    return { teams: await teamsOf(em, userId) }
  },
  async erase(em, userId) {
    await em.nativeDelete(TeamMember, { userId })
    return { storageKeys: [] }
  },
}
