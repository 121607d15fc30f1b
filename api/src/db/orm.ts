import type { MigrationObject } from '@mikro-orm/core'
import { Migrator } from '@mikro-orm/migrations'
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql'
import type { Logger } from '../observability/logger.ts'
import type { ComposedModules } from '../platform/module.ts'
import { type PostgresTarget, pgOptions } from './connection.ts'

export const MIGRATIONS_TABLE = 'schema_migrations'

export interface OrmOptions {
  poolMax: number
  logger?: Logger
}

/** The ORM over one Postgres; migrations come from the modules, never from a directory scan. */
export async function openOrm(
  target: PostgresTarget,
  modules: Pick<ComposedModules, 'entities' | 'migrations'>,
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
    driverOptions,
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
