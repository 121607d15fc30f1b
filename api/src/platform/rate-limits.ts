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
  /**
   * Points a process takes from the shared count at a time (default 1). With 10, a busy
   * client reaches Redis once per 10 requests instead of on each. The shared count still
   * never lets more than `points` through; what a process took and did not use is lost, so a
   * client whose requests spread over P processes may be refused up to (batch − 1) × (P − 1)
   * points early. Only for limits where that is harmless: never for credential checks.
   */
  batch?: number
}

/**
 * The platform's limits. `global` applies per client IP to every request but the probes and
 * /metrics; `login` is for credential checks, where lifting the limit during an outage would
 * open the door to password guessing, hence 'reject'. Modules add their own by name.
 */
export const PLATFORM_RATE_LIMITS = {
  global: { points: 600, durationSeconds: 60, whenStoreDown: 'local', batch: 10 },
  login: { points: 10, durationSeconds: 15 * 60, whenStoreDown: 'reject' },
} satisfies Record<string, RateLimitRule>

/** Seconds a client is told to wait when the store is down and the limit rejects. */
const OUTAGE_RETRY_SECONDS = 5

/** Leases kept per limit at most; the oldest goes first (its unused points are only lost). */
const MAX_LEASES = 10_000

export class RateLimits {
  readonly #limits = new Map<string, Limit>()

  constructor(
    rules: Record<string, RateLimitRule>,
    redis: Redis | null,
    options: { now?: () => number } = {},
  ) {
    for (const [name, rule] of Object.entries(rules)) {
      this.#limits.set(name, limitFor(name, rule, redis, options.now ?? Date.now))
    }
  }

  has(name: string): boolean {
    return this.#limits.has(name)
  }

  /** Spends one point per key; throws rate_limited (429, Retry-After) once a key is spent. */
  async consume(name: string, ...keys: string[]): Promise<void> {
    const limit = this.#limit(name)
    for (const key of keys) {
      try {
        await limit.consume(key)
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
    await this.#limit(name).refund(key)
  }

  /** Forgets a key's spent points, e.g. after a successful login. */
  async reset(name: string, key: string): Promise<void> {
    await this.#limit(name).reset(key)
  }

  #limit(name: string): Limit {
    const limit = this.#limits.get(name)
    if (!limit) throw new Error(`unknown rate limit ${name}: declare it in a module's rateLimits`)
    return limit
  }
}

/** One limit's points. `consume` rejects with a RateLimiterRes when spent, else a store error. */
interface Limit {
  consume(key: string): Promise<void>
  refund(key: string): Promise<void>
  reset(key: string): Promise<void>
}

function limitFor(
  name: string,
  rule: RateLimitRule,
  redis: Redis | null,
  now: () => number,
): Limit {
  const options = { keyPrefix: `rate:${name}`, points: rule.points, duration: rule.durationSeconds }
  // In memory the count is in this process already: nothing to save by taking points ahead.
  if (!redis) return countedBy(new RateLimiterMemory(options))
  const shared = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    // Fail at once while disconnected instead of queueing behind a dead connection.
    rejectIfRedisNotReady: true,
    ...(rule.whenStoreDown === 'local' ? { insuranceLimiter: new RateLimiterMemory(options) } : {}),
  })
  const batch = rule.batch ?? 1
  return batch > 1 ? new LeasedLimit(shared, rule.points, batch, now) : countedBy(shared)
}

function countedBy(limiter: RateLimiterAbstract): Limit {
  return {
    consume: async (key) => {
      await limiter.consume(key)
    },
    refund: async (key) => {
      await limiter.reward(key, 1)
    },
    reset: async (key) => {
      await limiter.delete(key)
    },
  }
}

interface Lease {
  /** Points taken from the shared count and not spent yet. */
  left: number
  /** When the window they were taken in ends (they are counted in that window only). */
  until: number
}

/**
 * A limit whose points this process takes from the shared count `batch` at a time and spends
 * locally until they run out or their window ends (see RateLimitRule.batch). Every point spent
 * here was counted in Redis first, so together the processes never pass the limit.
 */
class LeasedLimit implements Limit {
  readonly #shared: RateLimiterAbstract
  readonly #points: number
  readonly #batch: number
  readonly #now: () => number
  readonly #leases = new Map<string, Lease>()

  constructor(shared: RateLimiterAbstract, points: number, batch: number, now: () => number) {
    this.#shared = shared
    this.#points = points
    this.#batch = batch
    this.#now = now
  }

  async consume(key: string): Promise<void> {
    const now = this.#now()
    const lease = this.#live(key, now)
    if (lease && lease.left > 0) {
      lease.left--
      return
    }
    const taken = await this.#take(key)
    // A request of the same key may have taken a lease meanwhile: both are ours to spend.
    const carried = this.#live(key, now)?.left ?? 0
    this.#leases.delete(key)
    this.#leases.set(key, { left: carried + taken.points - 1, until: now + taken.msBeforeNext })
    if (this.#leases.size > MAX_LEASES) this.#evictOldest()
  }

  async refund(key: string): Promise<void> {
    const lease = this.#live(key, this.#now())
    if (lease) lease.left++
    else await this.#shared.reward(key, 1)
  }

  async reset(key: string): Promise<void> {
    this.#leases.delete(key)
    await this.#shared.delete(key)
  }

  #evictOldest(): void {
    const oldest = this.#leases.keys().next()
    if (!oldest.done) this.#leases.delete(oldest.value)
  }

  #live(key: string, now: number): Lease | undefined {
    const lease = this.#leases.get(key)
    return lease && lease.until > now ? lease : undefined
  }

  /** Takes up to `batch` points; the count may pass the limit within them, leaving fewer. */
  async #take(key: string): Promise<{ points: number; msBeforeNext: number }> {
    try {
      const taken = await this.#shared.consume(key, this.#batch)
      return { points: this.#batch, msBeforeNext: taken.msBeforeNext }
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection
      const left = this.#points - (rejection.consumedPoints - this.#batch)
      if (left <= 0) throw rejection
      return { points: left, msBeforeNext: rejection.msBeforeNext }
    }
  }
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
