import type { MikroORM } from '@mikro-orm/postgresql'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import type { FieldSealer } from '../encryption/sealed.ts'
import type { Logger } from '../observability/logger.ts'
import type { HealthDocument } from '../routes/operations.ts'
import type { SessionStore } from '../sessions/store.ts'
import type { AttachmentStorage } from '../storage/storage.ts'
import type { EventBus } from './event-bus.ts'
import type { OpenStreams } from './open-streams.ts'
import type { PresenceBoard } from './presence.ts'
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
  /** News of committed writes for the event streams of every process (src/live/). */
  events: EventBus
  /** This process's open event streams: counted, capped, ended at shutdown. */
  streams: OpenStreams
  /** Who is on which page right now, shared by every process, lapsing unless renewed. */
  presence: PresenceBoard
  /** Every dependency checked side by side (the metrics port's /healthz, the System page). */
  health(): Promise<HealthDocument>
}
