// An ApplicationSchema over a directory of plain SQL migrations (`001_name.sql`, applied in
// name order, each in its own transaction, recorded in `schema_migrations`). The standalone
// `helpdesk-backup` uses it with BACKUP_MIGRATIONS_DIR; inside the product the API passes
// its own migrator instead.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import type { ApplicationSchema } from './engine.ts'

const LEDGER = 'schema_migrations'
/** Serialises concurrent `migrate` runs against one database. */
const LOCK_ID = 7_349_021

async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function applied(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ exists: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [LEDGER],
  )
  if (!rows[0]?.exists) return []
  const ledger = await client.query<{ name: string }>(`SELECT name FROM ${LEDGER} ORDER BY name`)
  return ledger.rows.map((row) => row.name)
}

export function sqlMigrations(dir: string, keyTables: readonly string[] = []): ApplicationSchema {
  const files = async () => (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort()
  const pending = async (client: pg.Client) => {
    const done = new Set(await applied(client))
    return (await files()).filter((name) => !done.has(name))
  }
  return {
    keyTables,
    schemaVersion: (url) =>
      withDatabase(url, async (client) => (await applied(client)).at(-1) ?? 'none'),
    pendingMigrations: (url) => withDatabase(url, pending),
    migrate: (url) =>
      withDatabase(url, async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID])
        try {
          await client.query(
            `CREATE TABLE IF NOT EXISTS ${LEDGER} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
          )
          for (const name of await pending(client)) {
            await client.query('BEGIN')
            try {
              await client.query(await readFile(path.join(dir, name), 'utf8'))
              await client.query(`INSERT INTO ${LEDGER} (name) VALUES ($1)`, [name])
              await client.query('COMMIT')
            } catch (error) {
              await client.query('ROLLBACK')
              throw new Error(`migration ${name} failed: ${(error as Error).message}`)
            }
          }
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID])
        }
      }),
  }
}
