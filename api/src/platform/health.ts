import type { MikroORM } from '@mikro-orm/postgresql'
import type { Redis } from 'ioredis'
import { type SchemaStatus, schemaStatus } from '../db/migrate.ts'
import type { AttachmentStorage, StorageKind } from '../storage/storage.ts'

/** Each dependency gets this long, checked side by side: every probe answers within 1 s. */
export const CHECK_TIMEOUT_MS = 800

export interface CheckResult {
  status: 'up' | 'down'
  latencyMs: number
  detail?: string
}

/** `embedded`: PGlite inside the API process (`make run`); `postgres`: a Postgres server. */
export const DATABASE_MODES = ['postgres', 'embedded'] as const
/** `memory`: no Redis configured, sessions and rate limits live in this process alone. */
export const CACHE_MODES = ['redis', 'memory'] as const

export interface HealthReport {
  database: CheckResult & {
    mode: (typeof DATABASE_MODES)[number]
    schema?: Pick<SchemaStatus, 'current' | 'version' | 'pending'>
  }
  /** 'up' without latency in embedded mode: the in-memory store cannot fail. */
  redis: CheckResult & { mode: (typeof CACHE_MODES)[number] }
  storage: CheckResult & { mode: StorageKind; location: string }
}

export interface HealthSources {
  orm: MikroORM
  /** PGlite in this process rather than a Postgres server. */
  embeddedDatabase: boolean
  committedMigrations: readonly string[]
  redis: Redis | null
  storage: AttachmentStorage
}

export async function checkHealth(sources: HealthSources): Promise<HealthReport> {
  let schema: SchemaStatus | undefined
  const [database, redis, storage] = await Promise.all([
    timed(async () => {
      schema = await schemaStatus(sources.orm, sources.committedMigrations)
    }),
    sources.redis
      ? timed(pingRedis(sources.redis))
      : Promise.resolve({ status: 'up' as const, latencyMs: 0 }),
    timed((signal) => sources.storage.check(signal)),
  ])
  return {
    database: {
      ...database,
      mode: sources.embeddedDatabase ? 'embedded' : 'postgres',
      ...(schema
        ? { schema: { current: schema.current, version: schema.version, pending: schema.pending } }
        : {}),
    },
    redis: { ...redis, mode: sources.redis ? 'redis' : 'memory' },
    storage: { ...storage, mode: sources.storage.kind, location: sources.storage.location },
  }
}

function pingRedis(redis: Redis) {
  return async () => {
    if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`)
    await redis.ping()
  }
}

/** Runs a check against a deadline; a hung dependency counts as down, it cannot hang us. */
async function timed(check: (signal: AbortSignal) => Promise<void>): Promise<CheckResult> {
  const started = performance.now()
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`))
    }, CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([check(controller.signal), deadline])
    return { status: 'up', latencyMs: elapsed(started) }
  } catch (error) {
    return { status: 'down', latencyMs: elapsed(started), detail: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10

export interface ReadinessFailure {
  /** `startup`: the process itself has not finished starting (the first admin). */
  dependency: 'database' | 'redis' | 'startup'
  /** For logs and operators: the error, the pending migrations. */
  detail: string
  /** For anyone: which dependency and what kind of problem, nothing about the infrastructure. */
  summary: string
}

export const STILL_STARTING: ReadinessFailure = {
  dependency: 'startup',
  detail: 'starting: the first admin is not there yet',
  summary: 'starting',
}

/** Readiness: Postgres and Redis answer and the schema is current. */
export function readinessFailures(report: HealthReport): ReadinessFailure[] {
  const failures: ReadinessFailure[] = []
  if (report.database.status === 'down') {
    failures.push({
      dependency: 'database',
      detail: `database: ${report.database.detail}`,
      summary: 'database unavailable',
    })
  } else if (!report.database.schema?.current) {
    const pending = report.database.schema?.pending ?? []
    failures.push({
      dependency: 'database',
      detail: `database: schema not current, pending ${pending.join(', ')}`,
      summary: `database schema not current (${pending.length} migrations pending)`,
    })
  }
  if (report.redis.status === 'down') {
    failures.push({
      dependency: 'redis',
      detail: `redis: ${report.redis.detail}`,
      summary: 'redis unavailable',
    })
  }
  return failures
}

/** Liveness of the whole: down without the database, degraded when anything else is off. */
export function overallStatus(report: HealthReport): 'ok' | 'degraded' | 'down' {
  if (report.database.status === 'down') return 'down'
  const allUp =
    report.database.schema?.current &&
    report.redis.status === 'up' &&
    report.storage.status === 'up'
  return allUp ? 'ok' : 'degraded'
}
