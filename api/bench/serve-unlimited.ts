// The real API process for the benchmark, with the global rate limit raised out of the way
// (still consulted on every request, its points taken from Redis in batches as in production).
import { serve } from '../src/cli/serve.ts'
import { loadConfig } from '../src/config.ts'
import { PLATFORM_RATE_LIMITS } from '../src/platform/rate-limits.ts'

await serve(loadConfig(), {
  rateLimits: { global: { ...PLATFORM_RATE_LIMITS.global, points: 1_000_000_000 } },
})
process.exit(0)
