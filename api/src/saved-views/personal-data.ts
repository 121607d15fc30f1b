// GDPR for the saved views area (src/privacy/personal-data.ts): a person's views are theirs
// alone, exported with them and erased with them.
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { SavedView } from './entities.ts'
import { ownSavedViews } from './queries.ts'

export const savedViewsPersonalData: PersonalDataSource = {
  name: 'saved-views',
  async export(em, userId) {
    const views = await ownSavedViews(em, userId)
    return { savedViews: views.map(({ name, query, createdAt }) => ({ name, query, createdAt })) }
  },
  async erase(em, userId) {
    await em.nativeDelete(SavedView, { userId })
    return { storageKeys: [] }
  },
}
