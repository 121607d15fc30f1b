import { z } from 'zod'
import { AppSetting } from '../db/entities/app-setting.ts'
import { HttpError } from '../errors.ts'
import { route } from './define.ts'

const Instance = z.object({
  id: z.string().describe('Identifies this installation (and its backups)'),
  version: z.string(),
})

/** Public facts about this installation; also the platform's database round-trip. */
export const getInstance = route
  .get('/instance')
  .summary('This installation: id and version', 'platform')
  .public()
  .response(200, Instance)
  .handle(async ({ em, services }) => {
    const setting = await em.findOne(AppSetting, { key: 'instance_id' })
    if (!setting) throw new HttpError('dependency_unavailable', { detail: 'schema not migrated' })
    return { id: String(setting.value), version: services.config.version }
  })
