import type { EntityManager } from '@mikro-orm/postgresql'
import { assertAnotherAdmin } from '../accounts/commands.ts'
import { findUser } from '../accounts/queries.ts'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import type { AttachmentStorage } from '../storage/storage.ts'
import { PERSONAL_DATA_SOURCES } from './sources.ts'

/**
 * Erases what every feature keeps about the user, in one transaction, and deletes their
 * uploads from storage before it commits: if storage fails, the erasure rolls back and can
 * simply be run again. The caller ends the user's sessions after the commit.
 */
export async function erasePersonalData(
  em: EntityManager,
  origin: AuditOrigin,
  storage: AttachmentStorage,
  userId: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const user = await findUser(tx, userId, { forUpdate: true })
    if (user.role === 'admin') await assertAnotherAdmin(tx, user.id)
    const storageKeys: string[] = []
    for (const source of PERSONAL_DATA_SOURCES) {
      storageKeys.push(...(await source.erase(tx, user.id)).storageKeys)
    }
    for (const key of storageKeys) await storage.delete(key)
    await recordAudit(tx, origin, {
      action: 'user.erased',
      targetType: 'user',
      targetId: user.id,
      details: { uploadsDeleted: storageKeys.length },
    })
  })
}
