import type { EntityManager } from '@mikro-orm/postgresql'
import { HttpError } from '../errors.ts'
import { AppSetting } from './entities.ts'

/** The id the platform migration gave this installation; 503 while the schema is missing. */
export async function instanceId(em: EntityManager): Promise<string> {
  const setting = await em.findOne(AppSetting, { key: 'instance_id' })
  if (!setting) throw new HttpError('dependency_unavailable', { detail: 'schema not migrated' })
  return String(setting.value)
}
