import type { HelpdeskModule } from './module.ts'
import { PLATFORM_RATE_LIMITS } from './rate-limits.ts'

/** The platform's own rate limits (`global`, `login`), declared like any module's. */
export const platformModule: HelpdeskModule = {
  name: 'platform',
  rateLimits: PLATFORM_RATE_LIMITS,
}
