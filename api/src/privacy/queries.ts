import type { EntityManager } from '@mikro-orm/postgresql'
import { PERSONAL_DATA_SOURCES } from './sources.ts'

/** Every feature's sections about the user, merged into one document. */
export async function personalData(
  em: EntityManager,
  userId: string,
): Promise<Record<string, unknown>> {
  const sections: Record<string, unknown> = {}
  for (const source of PERSONAL_DATA_SOURCES) {
    Object.assign(sections, await source.export(em, userId))
  }
  return sections
}
