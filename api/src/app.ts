// createApp: every resource of one API process, wired into a Koa app that does not listen.
// server.ts listens and drains; tests mount the callback on a port of their own.
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { Redis } from 'ioredis'
import Koa from 'koa'
import type { DestinationStream } from 'pino'
import type { Config } from './config.ts'
import { openDatabase } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { closeOrm, nativePool, openOrm, type PoolFiguresSource } from './db/orm.ts'
import { openAppKeys } from './encryption/app-keys.ts'
import { createAuthenticator } from './http/auth.ts'
import { clientKey } from './http/client.ts'
import { cors } from './http/cors.ts'
import { observe } from './http/observe.ts'
import { problems } from './http/problems.ts'
import { requestId } from './http/request-id.ts'
import { securityHeaders } from './http/security.ts'
import { webApp } from './http/web.ts'
import { startJobWorker, type WorkerOptions } from './jobs/worker.ts'
import { modules as defaultModules } from './modules.ts'
import { createLoggers, type Logger, type Loggers } from './observability/logger.ts'
import { createMetrics } from './observability/metrics.ts'
import { type EventBus, MemoryEventBus, RedisEventBus } from './platform/event-bus.ts'
import { checkHealth } from './platform/health.ts'
import { type ComposedModules, composeModules, type HelpdeskModule } from './platform/module.ts'
import { OpenStreams } from './platform/open-streams.ts'
import { MemoryPresenceBoard, RedisPresenceBoard } from './platform/presence.ts'
import { type RateLimitRule, RateLimits } from './platform/rate-limits.ts'
import { connectRedis } from './platform/redis.ts'
import type { Services } from './platform/services.ts'
import { type MethodsAt, methodsAt } from './routes/methods.ts'
import { API_PREFIX, apiRouter } from './routes/mount.ts'
import { openApiDocument } from './routes/openapi.ts'
import {
  healthDocument,
  metricsRouter,
  OPERATION_PATHS,
  operationsRouter,
} from './routes/operations.ts'
import { CachedSessionStore, subscribeToRevocations } from './sessions/cache.ts'
import { sessionCookieName } from './sessions/cookie.ts'
import { MemorySessionStore } from './sessions/memory-store.ts'
import { RedisSessionStore } from './sessions/redis-store.ts'
import { announcingChanges, type SessionStore } from './sessions/store.ts'
import { LocalDirectoryStorage } from './storage/local.ts'
import { S3Storage } from './storage/s3.ts'
import type { AttachmentStorage } from './storage/storage.ts'

export interface AppOptions {
  /** @default the list in src/modules.ts */
  modules?: readonly HelpdeskModule[]
  /** Where JSON log lines go. @default stdout */
  logDestination?: DestinationStream
  /** Prefix for every Redis key, so several apps (tests) can share one Redis. */
  redisKeyPrefix?: string
  /** Overrides of named rate limits (tests use tiny ones). */
  rateLimits?: Record<string, RateLimitRule>
  /** Apply pending migrations at start. @default true in embedded mode only */
  migrate?: boolean
  /** Run the modules' background jobs in this process (false: never). @default true */
  jobs?: boolean | WorkerOptions
  /** Run the modules' own background work (mail channels). @default what `jobs` says */
  background?: boolean
  /**
   * Readiness waits for `finishStarting()` (`helpdesk serve` creates the first admin first).
   * @default false: ready as soon as the dependencies are
   */
  startsUnready?: boolean
  /** Event streams this process holds open at most. @default DEFAULT_MAX_STREAMS */
  maxEventStreams?: number
  /** How long a presence mark holds unrenewed (tests use short ones). @default DEFAULT_PRESENCE_TTL_MS */
  presenceTtlMs?: number
}

export interface HelpdeskApp {
  services: Services
  modules: ComposedModules
  koa: Koa
  callback(): (request: IncomingMessage, response: ServerResponse) => void
  /** The metrics port's server: /metrics and the detailed /healthz (HELPDESK_METRICS_PORT). */
  metricsCallback(): (request: IncomingMessage, response: ServerResponse) => void
  /** Requests being served right now. */
  inFlight(): number
  /** Readiness may answer 200 from now on (see AppOptions.startsUnready). */
  finishStarting(): void
  /** Readiness answers 503 from now on and responses ask clients to close the connection. */
  beginShutdown(): void
  isShuttingDown(): boolean
  /** Closes the database, Redis and storage connections (and the embedded database). */
  close(): Promise<void>
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<HelpdeskApp> {
  const loggers = createLoggers(config.logLevel, options.logDestination, config.logFormat)
  const logger = loggers.app
  const composed = composeModules(options.modules ?? defaultModules)
  const closers: (() => Promise<void>)[] = []
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {})
  }
  try {
    const services = await openServices(config, options, composed, logger, closers)
    if (options.jobs !== false) {
      const workerOptions = typeof options.jobs === 'object' ? options.jobs : {}
      closers.push(startJobWorker(services, composed.jobs, workerOptions))
    }
    if (options.background ?? options.jobs !== false) {
      for (const start of composed.background) closers.push(start(services))
    }
    return assemble(config, composed, services, loggers, closeAll, options.startsUnready === true)
  } catch (error) {
    await closeAll()
    throw error
  }
}

async function openServices(
  config: Config,
  options: AppOptions,
  composed: ComposedModules,
  logger: Logger,
  closers: (() => Promise<void>)[],
): Promise<Services> {
  const sealer = await openAppKeys(config.appKeys)
  const { target, embedded, stop } = await openDatabase(config.database)
  closers.push(stop)
  // PGlite runs one session: a second pooled connection could interleave with a transaction.
  const poolMax = embedded ? 1 : config.database.poolMax
  const orm = await openOrm(target, composed, { poolMax, logger })
  closers.push(() => closeOrm(orm, logger))
  if (options.migrate ?? embedded) {
    const applied = await migrate(orm, target)
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated')
  }
  const redis = config.redis
    ? await connectRedis(config.redis, logger, options.redisKeyPrefix)
    : null
  if (redis) closers.push(async () => void redis.disconnect())
  const storage = openStorage(config)
  closers.push(async () => storage.close())
  const committedMigrations = composed.migrations.map((migration) => migration.name)
  const events: EventBus = redis ? new RedisEventBus(redis, logger) : new MemoryEventBus()
  closers.push(async () => events.close())
  return {
    config,
    health: async () =>
      healthDocument(
        await checkHealth({
          orm,
          embeddedDatabase: embedded,
          redis,
          storage,
          committedMigrations,
        }),
        config.version,
      ),
    orm,
    redis,
    storage,
    sealer,
    logger,
    events,
    streams: new OpenStreams(options.maxEventStreams),
    presence: redis
      ? new RedisPresenceBoard(redis, { ttlMs: options.presenceTtlMs })
      : new MemoryPresenceBoard({ ttlMs: options.presenceTtlMs }),
    sessions: redis
      ? redisSessions(config, redis, logger, closers)
      : announcingChanges(new MemorySessionStore(), () => events.sessionsChanged()),
    rateLimits: new RateLimits({ ...composed.rateLimits, ...options.rateLimits }, redis),
  }
}

/** Sessions in Redis, behind this process's short-lived copies unless those are off. */
function redisSessions(
  config: Config,
  redis: Redis,
  logger: Logger,
  closers: (() => Promise<void>)[],
): SessionStore {
  const store = new RedisSessionStore(redis)
  if (config.sessionCacheSeconds === 0) return store
  const revocations = subscribeToRevocations(redis, logger)
  closers.push(async () => revocations.close())
  return new CachedSessionStore(store, revocations, { ttlMs: config.sessionCacheSeconds * 1000 })
}

function openStorage(config: Config): AttachmentStorage {
  return config.s3
    ? new S3Storage(config.s3)
    : new LocalDirectoryStorage(path.join(config.dataDir, 'attachments'))
}

function assemble(
  config: Config,
  composed: ComposedModules,
  services: Services,
  loggers: Loggers,
  close: () => Promise<void>,
  startsUnready: boolean,
): HelpdeskApp {
  const { logger, orm, redis } = services
  const drain = drainTracking()
  let starting = startsUnready
  const metrics = createMetrics({
    pool: poolFigures(orm),
    redisUp: () => (redis ? Number(redis.status === 'ready') : undefined),
    inFlight: drain.inFlight,
    streams: services.streams,
  })
  const koa = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 })
  koa.on('error', (error: Error) => logger.error({ err: error }, 'response stream failed'))
  koa.use(requestId())
  koa.use(observe(loggers.access, metrics))
  koa.use(problems(logger))
  koa.use(drain.middleware)
  koa.use(securityHeaders(config.cspConnectSrc))
  koa.use(cors(config.corsOrigins))
  koa.use(async (ctx, next) => {
    if (!OPERATION_PATHS.has(ctx.path))
      await services.rateLimits.consume('global', clientKey(ctx.ip))
    await next()
  })
  const operations = operationsRouter({
    isShuttingDown: drain.isShuttingDown,
    isStarting: () => starting,
    health: services.health,
  })
  const served = methodsAt(composed.routes, API_PREFIX)
  koa.use(
    methodNotAllowed((path) =>
      OPERATION_PATHS.has(path) && path !== '/metrics' ? ['GET', 'HEAD'] : served(path),
    ),
  )
  for (const router of [operations, routesRouter(config, composed, services)]) {
    koa.use(router.routes())
  }
  if (config.webDir) {
    const reserved = (urlPath: string) =>
      urlPath === '/api' || urlPath.startsWith('/api/') || OPERATION_PATHS.has(urlPath)
    koa.use(webApp(config.webDir, reserved))
  }
  const metricsKoa = new Koa()
  const metricsRoutes = metricsRouter({ metrics, health: services.health })
  metricsKoa.use(metricsRoutes.routes())
  return {
    services,
    modules: composed,
    koa,
    callback: () => koa.callback(),
    metricsCallback: () => metricsKoa.callback(),
    inFlight: drain.inFlight,
    finishStarting: () => {
      starting = false
    },
    beginShutdown: () => {
      drain.begin()
      services.streams.endAll()
    },
    isShuttingDown: drain.isShuttingDown,
    close,
  }
}

/**
 * 405 with an Allow header for any method a path is not served with (TRACE and the like
 * included), 404 where nothing serves the path; OPTIONS answers with Allow alone. problems()
 * turns 404 and 405 into problem+json.
 */
function methodNotAllowed(methodsAt: MethodsAt): Koa.Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null)) return
    const allowed = methodsAt(ctx.path)
    if (allowed.length === 0) return
    ctx.set('Allow', [...allowed, 'OPTIONS'].join(', '))
    ctx.status = ctx.method === 'OPTIONS' ? 204 : 405
  }
}

/** Counts requests in flight; once draining, responses ask clients to close the connection. */
function drainTracking() {
  let shuttingDown = false
  let inFlight = 0
  const middleware: Koa.Middleware = async (ctx, next) => {
    inFlight++
    try {
      await next()
    } finally {
      inFlight--
      // Keep-alive clients reconnect elsewhere instead of reusing a connection to this pod.
      if (shuttingDown) ctx.set('Connection', 'close')
    }
  }
  return {
    middleware,
    inFlight: () => inFlight,
    isShuttingDown: () => shuttingDown,
    begin: () => {
      shuttingDown = true
    },
  }
}

/**
 * The OpenAPI document an installation at `config.publicUrl` serves (the cookie's name depends
 * on it). docs/openapi.json is this for the default modules at http://localhost:8080
 * (`npm run generate -w @helpdesk/openapi`).
 */
export function apiDocument(
  config: Pick<Config, 'publicUrl' | 'version'>,
  routes: ComposedModules['routes'] = composeModules(defaultModules).routes,
) {
  return openApiDocument(routes, {
    version: config.version,
    sessionCookieName: sessionCookieName({ secure: config.publicUrl.startsWith('https:') }),
  })
}

/** The modules' routes under /api/v1, plus the OpenAPI document that describes them. */
function routesRouter(config: Config, composed: ComposedModules, services: Services) {
  const cookie = { secure: config.publicUrl.startsWith('https:') }
  const router = apiRouter(composed.routes, {
    services,
    cookie,
    authenticator: createAuthenticator(services.sessions, composed.auth, cookie),
  })
  const document = apiDocument(config, composed.routes)
  router.get('/openapi.json', (ctx) => {
    ctx.state.routeTemplate = `${API_PREFIX}/openapi.json`
    ctx.body = document
  })
  return router
}

/** Pool figures for /metrics; the pool exists once the ORM first connected. */
function poolFigures(orm: MikroORM) {
  let pool: PoolFiguresSource | undefined
  nativePool(orm)
    .then((found) => {
      pool = found
    })
    .catch(() => {})
  return () =>
    pool && {
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 0,
    }
}
