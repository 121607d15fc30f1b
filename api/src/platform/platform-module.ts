import { Migration20261206090000_idempotency } from '../db/migrations/Migration20261206090000_idempotency.ts'
import { expireIdempotencyKeys } from '../routes/idempotency.ts'
import type { HelpdeskModule } from './module.ts'
import { PLATFORM_RATE_LIMITS } from './rate-limits.ts'

/**
 * The platform's own rate limits (`global`, `login`), declared like any module's, and the
 * answers kept for `Idempotency-Key` (routes/idempotency.ts) with the job that forgets them.
 */
export const platformModule: HelpdeskModule = {
  name: 'platform',
  migrations: [
    {
      name: 'Migration20261206090000_idempotency',
      class: Migration20261206090000_idempotency,
    },
  ],
  rateLimits: PLATFORM_RATE_LIMITS,
  jobs: [expireIdempotencyKeys],
}
