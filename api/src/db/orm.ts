import type { EntitySchema, MigrationObject } from '@mikro-orm/core'
import { Migrator } from '@mikro-orm/migrations'
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql'
import type pg from 'pg'
import type { Logger } from '../observability/logger.ts'
import { type PostgresTarget, pgOptions } from './connection.ts'

export const MIGRATIONS_TABLE = 'schema_migrations'

export interface OrmOptions {
  poolMax: number
  logger?: Logger
}

/** What the ORM maps and migrates: the composed modules' entities and migrations. */
export interface OrmSchema {
  entities: EntitySchema[]
  migrations: MigrationObject[]
}

/** The ORM over one Postgres; migrations come from the modules, never from a directory scan. */
export async function openOrm(
  target: PostgresTarget,
  modules: OrmSchema,
  { poolMax, logger }: OrmOptions,
): Promise<MikroORM> {
  const { host, port, user, password, database, ...driverOptions } = pgOptions(target)
  return MikroORM.init({
    driver: PostgreSqlDriver,
    host,
    port,
    user,
    ...(password === undefined ? {} : { password }),
    dbName: database,
    driverOptions: { ...driverOptions, onPoolCreated: giveBackDeadConnections },
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    entities: modules.entities,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      migrationsList: modules.migrations as MigrationObject[],
      transactional: true,
      allOrNothing: true,
      // The schema lives in committed migrations only; nothing is written next to them
      // (the API image has a read-only root filesystem).
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
    ...(logger
      ? {
          debug: false,
          logger: (message: string) => logger.debug({ orm: true }, message),
        }
      : {}),
  })
}

/** How long the holder of a connection that died has to give it back itself. */
const DEAD_CONNECTION_GRACE_MS = 1_000

/**
 * A transaction whose connection dies never gives it back: Kysely releases a connection only
 * when its ROLLBACK succeeds (kysely-org/kysely#1990, open), and on a dead connection it
 * cannot. Each database restart mid-transaction would cost the pool a connection for good,
 * and closing the ORM would wait for them forever. A connection that ended and is still
 * checked out a moment later is returned here, as broken.
 */
function giveBackDeadConnections(pool: pg.Pool): void {
  const checkedOut = new Set<pg.PoolClient>()
  const watched = new WeakSet<pg.PoolClient>()
  pool.on('release', (_error, client) => checkedOut.delete(client))
  pool.on('acquire', (client) => {
    checkedOut.add(client)
    if (watched.has(client)) return
    watched.add(client)
    client.once('end', () => {
      setTimeout(() => {
        if (checkedOut.has(client)) client.release(true)
      }, DEAD_CONNECTION_GRACE_MS).unref()
    })
  })
}

export interface PoolFiguresSource {
  totalCount: number
  idleCount: number
  waitingCount: number
  options: { max?: number }
}

/** The pg pool behind the ORM, for metrics. */
export async function nativePool(orm: MikroORM): Promise<PoolFiguresSource> {
  return orm.em.getConnection().getNativeClient()
}

/** How long closing waits for the database pool to end before going on without it. */
const POOL_END_MS = 5_000

/**
 * Ends the database pool, but does not wait for it forever: pg-pool's end() can wait on a
 * connection that was being opened when it was called (seen under load: the CLI hung on an
 * idle connection that never ran a query). Every transaction has committed or rolled back by
 * now, so going on loses nothing; the process exits and Postgres drops the connection.
 */
export async function closeOrm(orm: MikroORM, logger?: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), POOL_END_MS)
    timer.unref()
  })
  const outcome = await Promise.race([orm.close(), late])
  clearTimeout(timer)
  if (outcome === 'late') logger?.warn('the database pool did not end in time; going on without it')
}
