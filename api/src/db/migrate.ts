// Migrations: committed code, applied under a Postgres advisory lock so that several pods,
// the Kubernetes Job and the operator can all run `helpdesk migrate` at once safely.

import type { MikroORM } from '@mikro-orm/postgresql'
import pg from 'pg'
import { type PostgresTarget, pgOptions } from './connection.ts'
import { MIGRATIONS_TABLE } from './orm.ts'

/** A fixed 64-bit key ("helpdesC" in ASCII) shared by every Helpdesk version. */
const MIGRATION_LOCK = '7522537982568788803'

const UNDEFINED_TABLE = '42P01'

export interface SchemaStatus {
  /** Every committed migration has been applied. */
  current: boolean
  applied: string[]
  pending: string[]
  /** Applied but unknown to this version (the database is newer than this code). */
  unknown: string[]
  /** The newest applied migration, '' for an empty database. */
  version: string
}

/** Applies pending migrations; returns the names applied (none when already current). */
export async function migrate(orm: MikroORM, target: PostgresTarget): Promise<string[]> {
  const lock = new pg.Client(pgOptions(target))
  await lock.connect()
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    // Whoever held the lock before us may have applied everything already.
    const applied = await orm.migrator.up()
    return applied.map((migration) => migration.name)
  } finally {
    // Closing the session releases the lock, also when the unlock itself fails.
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await lock.end().catch(() => {})
  }
}

/** Applied vs committed migrations, read without creating or locking anything. */
export async function schemaStatus(
  orm: MikroORM,
  committed: readonly string[],
): Promise<SchemaStatus> {
  const rows = await orm.em
    .getConnection()
    .execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE}`)
    .catch((error: unknown) => {
      // A database no migration has touched yet has no table: everything is pending.
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return []
      throw error
    })
  const applied = rows.map((row) => row.name).sort()
  const appliedSet = new Set(applied)
  const committedSet = new Set(committed)
  const pending = committed.filter((name) => !appliedSet.has(name))
  return {
    current: pending.length === 0,
    applied,
    pending,
    unknown: applied.filter((name) => !committedSet.has(name)),
    version: applied.at(-1) ?? '',
  }
}
