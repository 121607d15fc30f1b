// GDPR for the accounts area (src/privacy/personal-data.ts): the profile and API token
// metadata; erasure anonymises the user row (kept, so tickets stay attributed) and deletes
// their tokens and recovery codes.
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { ApiToken, User } from './entities.ts'
import { presentToken, presentUser } from './presenters.ts'

const ERASED_NAME = 'Erased user'

export const accountsPersonalData: PersonalDataSource = {
  name: 'accounts',
  async export(em, userId) {
    const user = await em.findOneOrFail(User, { id: userId })
    const tokens = await em.find(ApiToken, { userId }, { orderBy: { createdAt: 'asc' } })
    return {
      profile: { ...presentUser(user), updatedAt: user.updatedAt.toISOString() },
      apiTokens: tokens.map(presentToken),
    }
  },
  async erase(em, userId) {
    await em.nativeUpdate(
      User,
      { id: userId },
      {
        // Unique and clearly not an address anyone can receive mail at.
        email: `erased-${userId}@erased.invalid`,
        name: ERASED_NAME,
        passwordHash: null,
        mfaEnabled: false,
        mfaRequired: false,
        totpSecret: null,
        totpPendingSecret: null,
        totpLastStep: null,
        erasedAt: new Date(),
      },
    )
    await em.nativeDelete(ApiToken, { userId })
    await em.execute('delete from recovery_codes where user_id = ?', [userId], 'run')
    // Kept answers of their retried requests (a day's worth) hold their words too.
    await em.execute('delete from idempotency_keys where user_id = ?', [userId], 'run')
    return { storageKeys: [] }
  },
}
