import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { type DatabaseSettings, pgConnection } from '@helpdesk/config'
import pg from 'pg'
import { BackupError, usageError } from './errors.ts'
import type { TableFacts } from './manifest.ts'
import { toolVersion } from './process.ts'

export type ClientTool = 'pg_dump' | 'pg_restore'

export interface ServerFacts {
  version: string
  versionNum: number
  major: number
}

export interface DatabaseFacts {
  encoding: string
  collate: string
  ctype: string
}

export interface TableName {
  schema: string
  name: string
}

/** Settings that fix how values print, so row checksums agree between two servers. */
const STABLE_OUTPUT = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 3',
  "SET bytea_output = 'hex'",
]

/** A connected client to `database` (default: the configured one). */
export async function connect(
  settings: DatabaseSettings,
  database = settings.database,
): Promise<pg.Client> {
  const client = new pg.Client({
    ...pgConnection(settings, database),
    application_name: 'helpdesk-backup',
    connectionTimeoutMillis: 15_000,
  })
  try {
    await client.connect()
    for (const statement of STABLE_OUTPUT) await client.query(statement)
  } catch (error) {
    await client.end().catch(() => {})
    throw new BackupError(
      'unavailable',
      `cannot connect to Postgres database '${database}' at ${settings.host}:${settings.port}: ${(error as Error).message}`,
    )
  }
  return client
}

/** Runs `work` with a client, always closing it. */
export async function withClient<T>(
  settings: DatabaseSettings,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connect(settings, database)
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * The environment for pg_dump/pg_restore: connection settings as libpq variables, so the
 * password never appears on a command line, and no PG* variable inherited by accident.
 */
export function toolEnvironment(
  settings: DatabaseSettings,
  database = settings.database,
): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PG')),
  )
  return {
    ...inherited,
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGDATABASE: database,
    PGUSER: settings.user,
    PGAPPNAME: 'helpdesk-backup',
    PGCONNECT_TIMEOUT: '15',
    ...(settings.password ? { PGPASSWORD: settings.password } : {}),
    ...(settings.sslMode ? { PGSSLMODE: settings.sslMode } : {}),
    ...(settings.sslRootCert ? { PGSSLROOTCERT: settings.sslRootCert } : {}),
  }
}

export async function serverFacts(client: pg.Client): Promise<ServerFacts> {
  const { rows } = await client.query<{ version: string; num: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
  )
  const row = rows[0] as { version: string; num: string }
  const versionNum = Number(row.num)
  return { version: row.version, versionNum, major: Math.floor(versionNum / 10000) }
}

export async function databaseFacts(client: pg.Client): Promise<DatabaseFacts> {
  const { rows } = await client.query<DatabaseFacts>(
    `SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datctype AS ctype
       FROM pg_database WHERE datname = current_database()`,
  )
  return rows[0] as DatabaseFacts
}

/**
 * The client tool for a server's major version: Debian's versioned directory first (several
 * majors can be installed side by side), then PATH. A tool of another major version is
 * refused: pg_dump cannot dump a newer server, and a dump from an older pg_dump is not what
 * the manifest would claim.
 */
export async function clientTool(name: ClientTool, serverMajor: number): Promise<string> {
  const candidates = [
    path.join('/usr/lib/postgresql', String(serverMajor), 'bin', name),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, name)),
  ].filter(isExecutable)
  const found: string[] = []
  for (const candidate of candidates) {
    const version = await toolVersion(candidate)
    if (majorOf(version) === serverMajor) return candidate
    found.push(`${candidate} (${version})`)
  }
  throw new BackupError(
    'version',
    `the server runs Postgres ${serverMajor}, so ${name} must be version ${serverMajor}: ${
      found.length > 0 ? `found only ${found.join(', ')}` : `${name} is not installed`
    }; install the Postgres ${serverMajor} client tools`,
  )
}

function majorOf(versionLine: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine)
  return match ? Number(match[1]) : undefined
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Ordinary tables pg_dump writes data for: not catalogs, not temporary, not extensions'. */
async function userTables(client: pg.Client): Promise<TableName[]> {
  const { rows } = await client.query<TableName>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  )
  return rows
}

/** Fails, naming them, when some key tables do not exist. */
export async function requireKeyTables(
  client: pg.Client,
  keyTables: readonly string[],
): Promise<void> {
  const tables = await userTables(client)
  const missing = keyTables.filter((pattern) => !tables.some((table) => matches(table, pattern)))
  if (missing.length > 0) {
    throw usageError(`key tables not found in the database: ${missing.join(', ')}`)
  }
}

/** `schema.table` or a bare table name (matched in any schema). */
function matches(table: TableName, pattern: string): boolean {
  return pattern.includes('.')
    ? `${table.schema}.${table.name}` === pattern
    : table.name === pattern
}

/**
 * Row counts of every table and an order-independent checksum of the rows of the key
 * tables: the sum of the first 64 bits of each row's md5 over its text form, which needs
 * no sort and constant memory however large the table.
 */
export async function tableFacts(
  client: pg.Client,
  keyTables: readonly string[],
): Promise<TableFacts[]> {
  const tables = await userTables(client)
  const facts: TableFacts[] = []
  for (const table of tables) {
    const relation = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`
    const isKey = keyTables.some((pattern) => matches(table, pattern))
    const { rows } = await client.query<{ rows: string; checksum: string | null }>(
      isKey
        ? `SELECT count(*) AS rows,
                  coalesce(sum(('x' || left(md5("hd row"::text), 16))::bit(64)::bigint::numeric), 0)::text AS checksum
             FROM ${relation} AS "hd row"`
        : `SELECT count(*) AS rows, NULL AS checksum FROM ${relation}`,
    )
    const row = rows[0] as { rows: string; checksum: string | null }
    facts.push({
      schema: table.schema,
      name: table.name,
      rows: Number(row.rows),
      ...(row.checksum === null ? {} : { checksum: row.checksum }),
    })
  }
  return facts
}

/** The server process behind a client, for cancelling its query from elsewhere. */
export async function backendPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  return rows[0]?.pid as number
}

/** Cancels what a busy session is running, through a connection of its own. */
export async function cancelQuery(settings: DatabaseSettings, pid: number): Promise<void> {
  await withClient(settings, settings.database, (client) =>
    client.query('SELECT pg_cancel_backend($1)', [pid]),
  )
}

export async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  return (rowCount ?? 0) > 0
}

/** An empty database with the source's encoding and collation. */
export async function createEmptyDatabase(
  admin: pg.Client,
  name: string,
  facts: DatabaseFacts,
): Promise<void> {
  await admin.query(
    `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE template0 ENCODING ${admin.escapeLiteral(facts.encoding)} LC_COLLATE ${admin.escapeLiteral(facts.collate)} LC_CTYPE ${admin.escapeLiteral(facts.ctype)}`,
  )
}

export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`)
}
