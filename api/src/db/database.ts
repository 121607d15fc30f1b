// Opening "the configured database" (external or embedded) and migrating it: shared by the
// API process, `helpdesk migrate` and other packages (the backup engine after a restore).
import { parseDatabaseUrl, pgConnection } from '@helpdesk/config'
import type { EntityManager } from '@mikro-orm/postgresql'
import { ConfigError, type DatabaseConfig } from '../config.ts'
import { modules } from '../modules.ts'
import { type ComposedModules, composeModules } from '../platform/module.ts'
import type { PostgresTarget } from './connection.ts'
import { migrate, type SchemaStatus, schemaStatus } from './migrate.ts'
import { closeOrm, openOrm } from './orm.ts'

export type { SchemaStatus } from './migrate.ts'

export interface OpenedDatabase {
  target: PostgresTarget
  embedded: boolean
  /** Stops the embedded database; nothing to do for an external one. */
  stop(): Promise<void>
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenedDatabase> {
  if (config.kind === 'external') {
    return { target: pgConnection(config.connection), embedded: false, stop: async () => {} }
  }
  // Loaded only here: production processes never carry PGlite's WebAssembly.
  const { startEmbeddedPostgres } = await import('./embedded.ts')
  const embedded = await startEmbeddedPostgres(config.dataDir)
  return { target: embedded.target, embedded: true, stop: embedded.stop }
}

export interface MigrationRun {
  applied: string[]
  status: SchemaStatus
}

/** Applies pending migrations (unless `apply` is false) and reports the schema state after. */
export async function runMigrations(
  config: DatabaseConfig,
  {
    apply = true,
    composed = composeModules(modules),
  }: { apply?: boolean; composed?: ComposedModules } = {},
): Promise<MigrationRun> {
  const database = await openDatabase(config)
  try {
    const orm = await openOrm(database.target, composed, { poolMax: 1 })
    try {
      const applied = apply ? await migrate(orm, database.target) : []
      const committed = composed.migrations.map((migration) => migration.name)
      return { applied, status: await schemaStatus(orm, committed) }
    } finally {
      await closeOrm(orm)
    }
  } finally {
    await database.stop()
  }
}

/** Runs `work` on the configured database with one connection (CLI commands). */
export async function withDatabase<T>(
  config: DatabaseConfig,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config)
  try {
    const orm = await openOrm(database.target, composeModules(modules), { poolMax: 1 })
    try {
      return await work(orm.em.fork())
    } finally {
      await closeOrm(orm)
    }
  } finally {
    await database.stop()
  }
}

/** Migrates the Postgres at `url` to this version; returns the migrations applied. */
export async function migrateDatabase(url: string): Promise<string[]> {
  return (await runMigrations(externalDatabase(url))).applied
}

/** The schema state of the Postgres at `url`; `version` is its newest migration. */
export async function databaseSchemaStatus(url: string): Promise<SchemaStatus> {
  return (await runMigrations(externalDatabase(url), { apply: false })).status
}

/** A database given as a URL (`databaseUrl()` of @helpdesk/config makes one), one connection. */
export function externalDatabase(url: string): DatabaseConfig {
  const problems: string[] = []
  const connection = parseDatabaseUrl(url, 'database URL', problems)
  if (!connection || problems.length > 0) throw new ConfigError(problems)
  return { kind: 'external', connection, poolMax: 1 }
}
