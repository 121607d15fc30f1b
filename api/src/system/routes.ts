// The whole health report for admins (the web app's System page): what the public /healthz
// no longer tells anonymous callers.
import { z } from 'zod'
import { CACHE_MODES, DATABASE_MODES } from '../platform/health.ts'
import { route } from '../routes/define.ts'
import { STORAGE_KINDS } from '../storage/storage.ts'
import { system } from './policy.ts'

const Check = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  detail: z.string().optional().describe('Why it is down'),
})

export const getSystemHealth = route
  .get('/system/health')
  .operationId('getSystemHealth')
  .summary('Every dependency’s status, latency and facts, and the API version (admin)', 'platform')
  .auth(system.read.permission)
  .response(
    200,
    z.object({
      status: z.enum(['ok', 'degraded', 'down']),
      checks: z.object({
        database: Check.extend({
          mode: z
            .enum(DATABASE_MODES)
            .describe('embedded: PGlite inside the API process; postgres: a Postgres server'),
          schema: z
            .object({
              current: z.boolean(),
              version: z.string().nullable(),
              pending: z.array(z.string()),
            })
            .optional(),
        }),
        redis: Check.extend({
          mode: z
            .enum(CACHE_MODES)
            .describe('memory: no Redis; sessions and rate limits live in this API process alone'),
        }),
        storage: Check.extend({
          mode: z.enum(STORAGE_KINDS).describe('local: a directory on the API’s machine'),
          location: z.string(),
        }),
      }),
      version: z.string(),
    }),
  )
  .handle(async ({ services }) => services.health())
