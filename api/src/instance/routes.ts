// GET /instance: public facts about this installation; also the platform's database round trip.
import { z } from 'zod'
import { route } from '../routes/define.ts'
import { instanceId } from './queries.ts'

const Instance = z.object({
  id: z.string().describe('Identifies this installation (and its backups)'),
  version: z.string(),
})

export const getInstance = route
  .get('/instance')
  .operationId('getInstance')
  .summary('This installation: id and version', 'platform')
  .public()
  .response(200, Instance)
  .handle(async ({ em, services }) => ({
    id: await instanceId(em),
    version: services.config.version,
  }))
