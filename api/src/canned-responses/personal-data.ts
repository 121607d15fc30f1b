// GDPR for the canned responses area (src/privacy/personal-data.ts): a person's own responses
// are exported with them and erased with them; shared ones belong to nobody.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { CannedResponse } from './entities.ts'

async function ownResponses(em: EntityManager, userId: string) {
  const rows = await em.find(CannedResponse, { ownerId: userId }, { orderBy: { shortcut: 'asc' } })
  return rows.map(({ shortcut, title, body, createdAt }) => ({ shortcut, title, body, createdAt }))
}

export const cannedResponsesPersonalData: PersonalDataSource = {
  name: 'canned-responses',
  async export(em, userId) {
    return { cannedResponses: await ownResponses(em, userId) }
  },
  async erase(em, userId) {
    await em.nativeDelete(CannedResponse, { ownerId: userId })
    return { storageKeys: [] }
  },
}
