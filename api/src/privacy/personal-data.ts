import type { EntityManager } from '@mikro-orm/postgresql'

/**
 * What one feature stores about a person, for GDPR export and erasure. Each feature that keeps
 * personal data provides one and is listed in `PERSONAL_DATA_SOURCES` (privacy/sources.ts).
 */
export interface PersonalDataSource {
  /** Names the sections this source adds to the export (`tickets`, `messages`, ...). */
  name: string
  /** JSON-ready sections about the user: `{ tickets: [...], messages: [...] }`. */
  export(em: EntityManager, userId: string): Promise<Record<string, unknown>>
  /**
   * Removes or anonymises what this source keeps about the user, inside the erasure's
   * transaction; keeps shared history (tickets, events) consistent. Returns the storage keys
   * of the user's uploads: they are deleted before the transaction commits, so a failure
   * leaves the erasure undone and safe to retry (it must be idempotent).
   */
  erase(em: EntityManager, userId: string): Promise<{ storageKeys: string[] }>
}
