// Shared set-up for the integration tests: a migrated, seeded database of the test schema
// in the harness's Postgres, a backup bucket in its MinIO, a keyring directory, and the
// CLI run in-process with captured output.
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serviceDir, testServices } from '@helpdesk/harness'
import pg from 'pg'
import { runBackupCommand } from '../src/cli.ts'
import type { Environment } from '../src/config.ts'
import type { ApplicationSchema } from '../src/engine.ts'
import { sqlMigrations } from '../src/sql-schema.ts'

export const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations', import.meta.url))
export const KEY_TABLES = ['tickets', 'public.messages']

/** The test schema at every migration, or only up to `upTo` (a file name). */
export function testSchema(upTo?: string): ApplicationSchema {
  if (!upTo) return sqlMigrations(MIGRATIONS, KEY_TABLES)
  const dir = serviceDir('migrations')
  cpSync(MIGRATIONS, dir, {
    recursive: true,
    filter: (file) => path.basename(file) <= upTo || file === MIGRATIONS,
  })
  return sqlMigrations(dir, KEY_TABLES)
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

export async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql, values)).rows
  } finally {
    await client.end()
  }
}

/** Rows of every kind the schema has: NULLs, unicode, quotes, arrays, jsonb, bytea, TOASTed text. */
export async function seed(url: string, { customers = 40, tickets = 200 } = {}): Promise<void> {
  await query(
    url,
    `INSERT INTO customers (email, name, profile, created_at)
     SELECT 'c' || g || '@example.com', CASE WHEN g % 7 = 0 THEN NULL ELSE 'Customer ' || g || ' ✓ Ünïcødé' END,
            jsonb_build_object('plan', (ARRAY['free', 'pro'])[1 + g % 2], 'n', g),
            timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour'
       FROM generate_series(1, $1::int) g`,
    [customers],
  )
  await query(
    url,
    `INSERT INTO tickets (customer_id, subject, status, priority, tags, external_id, score, ratio, due, opened_on, created_at)
     SELECT 1 + g % $1::int, 'Subject ' || g || E' with "quotes", a\\ttab and a\\nnewline',
            (ARRAY['open', 'pending', 'solved', 'closed']::ticket_status[])[1 + g % 4],
            CASE WHEN g % 5 = 0 THEN NULL ELSE g % 3 END, ARRAY['tag' || g % 4, 'x'], md5(g::text)::uuid,
            g / 7.0, g * 1.5e-3, (g || ' minutes')::interval, date '2026-01-01' + g,
            timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute'
       FROM generate_series(1, $2::int) g`,
    [customers, tickets],
  )
  await query(
    url,
    `INSERT INTO messages (ticket_id, body, attachment, sent_at)
     SELECT 1 + g % $1::int, repeat('Message ' || g || ' body. ', 1 + g % 400),
            CASE WHEN g % 3 = 0 THEN decode(md5(g::text), 'hex') END,
            timestamp '2026-02-01' + g * interval '1 second'
       FROM generate_series(1, $1::int * 2) g`,
    [tickets],
  )
  await query(
    url,
    `DO $$ BEGIN
       IF to_regclass('ticket_watchers') IS NOT NULL THEN
         INSERT INTO ticket_watchers (ticket_id, email)
         SELECT 1 + g % 50, 'watcher' || g || '@example.com' FROM generate_series(1, 120) g;
       END IF;
     END $$`,
  )
  await query(
    url,
    `INSERT INTO audit.events (kind, payload)
     SELECT 'kind' || g % 5, CASE WHEN g % 2 = 0 THEN jsonb_build_object('g', g) END FROM generate_series(1, 50) g`,
  )
}

/** About `megabytes` of incompressible message text, for uploads of several parts. */
export async function addBulk(url: string, megabytes: number): Promise<void> {
  await query(
    url,
    `INSERT INTO messages (ticket_id, body)
     SELECT 1, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 320) i)
       FROM generate_series(1, $1::int * 100) g`,
    [megabytes],
  )
}

export interface DatabaseContents {
  tables: Record<string, string[]>
  sequences: Record<string, string | null>
}

/** Every row of every table as text, sorted, and every sequence's position. */
export async function contents(url: string): Promise<DatabaseContents> {
  const tables = await query<{ schema: string; name: string }>(
    url,
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`,
  )
  const result: DatabaseContents = { tables: {}, sequences: {} }
  for (const { schema, name } of tables) {
    const rows = await query<{ row: string }>(
      url,
      `SELECT t::text AS row FROM "${schema}"."${name}" t ORDER BY 1`,
    )
    result.tables[`${schema}.${name}`] = rows.map(({ row }) => row)
  }
  for (const row of await query<{ name: string; last: string | null }>(
    url,
    `SELECT schemaname || '.' || sequencename AS name, last_value::text AS last FROM pg_sequences ORDER BY 1`,
  )) {
    result.sequences[row.name] = row.last
  }
  return result
}

export async function databaseExists(name: string): Promise<boolean> {
  const rows = await query(
    testServices.postgres().url(),
    'SELECT 1 FROM pg_database WHERE datname = $1',
    [name],
  )
  return rows.length > 0
}

/** Databases whose names start with `prefix`: staging and scratch leftovers. */
export async function databasesLike(prefix: string): Promise<string[]> {
  const rows = await query<{ datname: string }>(
    testServices.postgres().url(),
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1',
    [prefix],
  )
  return rows.map((row) => row.datname)
}

/** The prefix of the scratch databases `verify` makes for a backup. */
export const scratchPrefix = (backupId: string) =>
  `hd_verify_${backupId.toLowerCase().replace(/-/g, '_')}`

/** A keyring directory as Kubernetes mounts a Secret: `..data` links and hidden entries included. */
export function writeKeyring(keys: Record<string, Buffer>): string {
  const dir = serviceDir('keyring')
  mkdirSync(path.join(dir, '..2026_11_28_02_00_00.000000001'))
  symlinkSync('..2026_11_28_02_00_00.000000001', path.join(dir, '..data'))
  for (const [id, key] of Object.entries(keys))
    writeFileSync(path.join(dir, id), `${key.toString('base64')}\n`)
  return dir
}

export const newKey = () => randomBytes(32)

export interface TestBed {
  env: Environment
  databaseUrl: string
  database: string
  bucket: string
  keys: Record<string, Buffer>
}

/** A migrated, seeded database, an empty backup bucket and a one-key keyring. */
export async function testBed({
  upTo,
  seeded = true,
}: {
  upTo?: string
  seeded?: boolean
} = {}): Promise<TestBed> {
  const databaseUrl = await testServices.postgres().createDatabase('source')
  await testSchema(upTo).migrate(databaseUrl)
  if (seeded) await seed(databaseUrl)
  const s3 = testServices.s3()
  const bucket = await s3.createBucket('backups')
  const keys = { '2026-01-01': newKey() }
  return {
    databaseUrl,
    database: databaseName(databaseUrl),
    bucket,
    keys,
    env: {
      BACKUP_S3_BUCKET: bucket,
      BACKUP_S3_PREFIX: 'helpdesk/',
      BACKUP_S3_REGION: s3.region,
      BACKUP_S3_ENDPOINT: s3.endpoint,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
      BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_KEYRING_DIR: writeKeyring(keys),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    },
  }
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed: the command's JSON result. */
  json<T = Record<string, unknown>>(): T
}

export async function cli(
  argv: string[],
  env: Environment,
  {
    schema = testSchema(),
    now,
    signal,
  }: { schema?: ApplicationSchema | null; now?: () => Date; signal?: AbortSignal } = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runBackupCommand(argv, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...(schema ? { schema } : {}),
    ...(now ? { now } : {}),
    ...(signal ? { signal } : {}),
  })
  return { code, stdout, stderr, json: () => JSON.parse(stdout) }
}
