import type { Redis } from 'ioredis'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import { HttpError } from '../errors.ts'

export interface RateLimitRule {
  points: number
  durationSeconds: number
  /**
   * What the limit does while Redis is unreachable:
   * - 'local': each process counts on its own (limits hold per pod, the API keeps serving);
   * - 'reject': requests fail with 503 dependency_unavailable (the limit is never lifted).
   */
  whenStoreDown: 'local' | 'reject'
}

/**
 * The platform's limits. `global` applies per client IP to every request but the probes and
 * /metrics; `login` is for credential checks, where lifting the limit during an outage would
 * open the door to password guessing, hence 'reject'. Modules add their own by name.
 */
export const PLATFORM_RATE_LIMITS = {
  global: { points: 600, durationSeconds: 60, whenStoreDown: 'local' },
  login: { points: 10, durationSeconds: 15 * 60, whenStoreDown: 'reject' },
} satisfies Record<string, RateLimitRule>

/** Seconds a client is told to wait when the store is down and the limit rejects. */
const OUTAGE_RETRY_SECONDS = 5

export class RateLimits {
  readonly #limiters = new Map<string, RateLimiterAbstract>()

  constructor(rules: Record<string, RateLimitRule>, redis: Redis | null) {
    for (const [name, rule] of Object.entries(rules)) {
      this.#limiters.set(name, limiterFor(name, rule, redis))
    }
  }

  has(name: string): boolean {
    return this.#limiters.has(name)
  }

  /** Spends one point per key; throws rate_limited (429, Retry-After) once a key is spent. */
  async consume(name: string, ...keys: string[]): Promise<void> {
    const limiter = this.#limiter(name)
    for (const key of keys) {
      try {
        await limiter.consume(key)
      } catch (rejection) {
        throw toHttpError(name, rejection)
      }
    }
  }

  /**
   * Gives back the point this request spent, e.g. after a successful login: only failures
   * then count, while a success cannot wipe failures out.
   */
  async refund(name: string, key: string): Promise<void> {
    await this.#limiter(name).reward(key, 1)
  }

  /** Forgets a key's spent points, e.g. after a successful login. */
  async reset(name: string, key: string): Promise<void> {
    await this.#limiter(name).delete(key)
  }

  #limiter(name: string): RateLimiterAbstract {
    const limiter = this.#limiters.get(name)
    if (!limiter) throw new Error(`unknown rate limit ${name}: declare it in a module's rateLimits`)
    return limiter
  }
}

function limiterFor(name: string, rule: RateLimitRule, redis: Redis | null): RateLimiterAbstract {
  const options = { keyPrefix: `rate:${name}`, points: rule.points, duration: rule.durationSeconds }
  if (!redis) return new RateLimiterMemory(options)
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    // Fail at once while disconnected instead of queueing behind a dead connection.
    rejectIfRedisNotReady: true,
    ...(rule.whenStoreDown === 'local' ? { insuranceLimiter: new RateLimiterMemory(options) } : {}),
  })
}

function toHttpError(name: string, rejection: unknown): HttpError {
  if (rejection instanceof RateLimiterRes) {
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
    return new HttpError('rate_limited', {
      detail: `the ${name} limit is spent; retry in ${seconds} s`,
      headers: { 'Retry-After': String(seconds) },
    })
  }
  return new HttpError('dependency_unavailable', {
    detail: 'the rate limit store is unavailable',
    headers: { 'Retry-After': String(OUTAGE_RETRY_SECONDS) },
    cause: rejection,
  })
}
