import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import {
  freePort,
  logFile,
  randomSecret,
  runAs,
  type ServiceUser,
  serviceDir,
  uniqueId,
  unprivilegedUser,
} from './session.ts'
import { toolPath } from './tools.ts'

const run = promisify(execFile)

export interface PostgresOptions {
  /** @default a free port */
  port?: number
  /**
   * Durable settings (fsync on) for benchmarks; tests trade durability for speed.
   * @default false
   */
  durable?: boolean
}

/** Connection facts that can cross process boundaries (JSON). */
export interface PostgresInfo {
  host: string
  port: number
  user: string
  password: string
}

export interface PostgresServer extends PostgresInfo, ManagedService {
  /** A URL for `database` as the superuser. @default database 'postgres' */
  url(database?: string): string
  /** Creates an empty database with a unique name and returns its URL. */
  createDatabase(prefix?: string): Promise<string>
}

/** A private Postgres 15 on 127.0.0.1, initialised in a temporary directory. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const user = unprivilegedUser()
  const dir = serviceDir('postgres', user)
  const info: PostgresInfo = {
    host: '127.0.0.1',
    port: options.port ?? (await freePort()),
    user: 'postgres',
    password: randomSecret(),
  }
  const service = await manage('postgres', dir, async () => {
    await initialise(dir, info.password, user)
    const { command, args } = runAs(
      user,
      toolPath('postgres'),
      serverArguments(dir, info.port, options.durable ?? false),
    )
    const child = supervise({
      name: 'postgres',
      command,
      args,
      log: logFile('postgres'),
      stopSignal: 'SIGINT',
    })
    await waitUntilReady(child, () => canConnect(info))
    return child
  })
  return {
    ...info,
    ...service,
    url: (database = 'postgres') => postgresUrl(info, database),
    createDatabase: (prefix = 'test') => createDatabase(info, prefix),
  }
}

async function initialise(dir: string, password: string, user?: ServiceUser): Promise<void> {
  const dataDir = path.join(dir, 'data')
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return
  const passwordFile = path.join(dir, 'password')
  writeFileSync(passwordFile, password, { mode: 0o644 })
  const { command, args } = runAs(user, toolPath('initdb'), [
    `--pgdata=${dataDir}`,
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ])
  await run(command, args).catch((error: Error & { stderr?: string }) => {
    throw new Error(`initdb failed: ${error.stderr || error.message}`)
  })
}

function serverArguments(dir: string, port: number, durable: boolean): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    'max_connections=300',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ]
  return [
    '-D',
    path.join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    ...settings.flatMap((setting) => ['-c', setting]),
  ]
}

export function postgresUrl(info: PostgresInfo, database: string): string {
  const password = encodeURIComponent(info.password)
  return `postgres://${info.user}:${password}@${info.host}:${info.port}/${database}`
}

async function canConnect(info: PostgresInfo): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl(info, 'postgres') })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } finally {
    await client.end().catch(() => {})
  }
}

/** Creates a uniquely named database on a running server; returns its URL. */
export async function createDatabase(info: PostgresInfo, prefix = 'test'): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${uniqueId()}`
  const client = new pg.Client({ connectionString: postgresUrl(info, 'postgres') })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${name}"`)
  } finally {
    await client.end()
  }
  return postgresUrl(info, name)
}
