import { Redis } from 'ioredis'
import type { RedisConfig } from '../config.ts'
import type { Logger } from '../observability/logger.ts'

/** How long start-up waits for Redis before going on without it (and not ready). */
const CONNECT_WAIT_MS = 3_000

/**
 * One connection for sessions and rate limits. Commands fail fast while Redis is away
 * (no offline queue, a command timeout for a hung server) and reconnection never stops, so
 * the API degrades during an outage and recovers without a restart.
 */
export async function connectRedis(
  config: RedisConfig,
  logger: Logger,
  keyPrefix = '',
): Promise<Redis> {
  const redis = new Redis(config.url, {
    keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...(config.tls ? { tls: config.tls.ca ? { ca: config.tls.ca } : {} } : {}),
  })
  let lastError = ''
  redis.on('error', (error: Error) => {
    // Reconnection repeats the same error every couple of seconds; log each new one once.
    if (error.message !== lastError) logger.warn({ err: error }, 'redis connection error')
    lastError = error.message
  })
  redis.on('ready', () => {
    if (lastError) logger.info('redis connection restored')
    lastError = ''
  })
  await Promise.race([
    redis.connect().catch(() => {}),
    new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref()),
  ])
  return redis
}
