import type { MikroORM } from '@mikro-orm/postgresql'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import type { FieldSealer } from '../encryption/sealed.ts'
import type { Logger } from '../observability/logger.ts'
import type { HealthDocument } from '../routes/operations.ts'
import type { SessionStore } from '../sessions/store.ts'
import type { AttachmentStorage } from '../storage/storage.ts'
import type { RateLimits } from './rate-limits.ts'

/** The long-lived resources of one API process, handed to every route handler. */
export interface Services {
  config: Config
  orm: MikroORM
  sessions: SessionStore
  storage: AttachmentStorage
  /** Encrypts and decrypts the credentials the API must read back (TOTP secrets). */
  sealer: FieldSealer
  rateLimits: RateLimits
  /** null in embedded mode. */
  redis: Redis | null
  logger: Logger
  /** Every dependency checked side by side (the metrics port's /healthz, the System page). */
  health(): Promise<HealthDocument>
}
