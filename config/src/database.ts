// How a process finds its Postgres: DATABASE_URL, or the discrete DATABASE_* variables that
// the charts and the operator write (the password from a Secret, the CA bundle as a file).
// The API, the backup engine and the `helpdesk` command all read them here.
import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import { z } from 'zod'
import {
  type Environment,
  integer,
  type Problems,
  readableFile,
  readVariables,
  text,
} from './variables.ts'

export const DATABASE_VARIABLES = {
  url: 'DATABASE_URL',
  host: 'DATABASE_HOST',
  port: 'DATABASE_PORT',
  name: 'DATABASE_NAME',
  user: 'DATABASE_USER',
  password: 'DATABASE_PASSWORD',
  sslMode: 'DATABASE_SSL_MODE',
  sslRootCert: 'DATABASE_SSL_ROOT_CERT',
  /** The API's pool size per process (the API reads it; the charts may write it). */
  poolMax: 'DATABASE_POOL_MAX',
} as const

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

export interface DatabaseSettings {
  host: string
  port: number
  database: string
  user: string
  password?: string
  /** libpq's meaning: require encrypts only; verify-ca checks the chain; verify-full also the name. */
  sslMode?: SslMode
  /** A file with the CA certificates that sign the server's certificate. */
  sslRootCert?: string
}

const sslMode = text.pipe(
  z.enum(SSL_MODES, { error: `must be one of ${SSL_MODES.join(', ')}` }).optional(),
)

const V = DATABASE_VARIABLES
const variables = {
  [V.url]: text,
  [V.host]: text,
  [V.port]: integer(5432, 1, 65535),
  [V.name]: text,
  [V.user]: text,
  [V.password]: text,
  [V.sslMode]: sslMode,
  [V.sslRootCert]: text,
}

const URL_SHAPE = 'must be a postgres://user[:password]@host[:port]/database URL'
const URL_PARAMETERS = new Set(['sslmode', 'sslrootcert'])

/**
 * The configured database, or undefined when no DATABASE_* variable is set (the API then runs
 * its embedded database; backup commands that need one say so). Problems go to `problems`.
 */
export function parseDatabase(
  environment: Environment,
  problems: Problems,
): DatabaseSettings | undefined {
  const env = readVariables(variables, environment, problems)
  const settings = connectionSettings(env, problems)
  // The TLS checks run even when the rest is wrong: every problem is listed at once.
  const mode = env[V.sslMode] ?? settings?.sslMode
  const rootCert = env[V.sslRootCert] ?? settings?.sslRootCert
  if (rootCert) {
    const name = env[V.sslRootCert] ? V.sslRootCert : V.url
    const readable = readableFile(name, rootCert, problems) !== undefined
    if (readable && mode !== 'verify-ca' && mode !== 'verify-full') {
      problems.push(`${name}: needs ${V.sslMode} verify-ca or verify-full`)
    }
  }
  if (!settings) return undefined
  return {
    ...settings,
    ...(mode ? { sslMode: mode } : {}),
    ...(rootCert ? { sslRootCert: rootCert } : {}),
  }
}

type Variables = ReturnType<typeof readVariables<typeof variables>>

function connectionSettings(env: Variables, problems: Problems): DatabaseSettings | undefined {
  const url = env[V.url]
  const discrete = env[V.host] ?? env[V.name] ?? env[V.user]
  if (url && discrete) {
    problems.push(`${V.url}: set either ${V.url} or the DATABASE_HOST/NAME/USER variables`)
    return undefined
  }
  if (url) return parseDatabaseUrl(url, V.url, problems)
  if (!discrete) return undefined
  for (const name of [V.host, V.name, V.user]) {
    if (!env[name])
      problems.push(`${name}: required when the discrete DATABASE_* variables are used`)
  }
  return {
    host: env[V.host] ?? '',
    port: env[V.port],
    database: env[V.name] ?? '',
    user: env[V.user] ?? '',
    ...(env[V.password] ? { password: env[V.password] } : {}),
  }
}

/** postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…] */
export function parseDatabaseUrl(
  value: string,
  name: string,
  problems: Problems,
): DatabaseSettings | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(`${name}: ${URL_SHAPE}`)
    return undefined
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!/^postgres(ql)?:$/.test(url.protocol) || !url.hostname || !database || !url.username) {
    problems.push(`${name}: ${URL_SHAPE}`)
    return undefined
  }
  const unknown = [...url.searchParams.keys()].filter((key) => !URL_PARAMETERS.has(key))
  if (unknown.length > 0) {
    problems.push(
      `${name}: unsupported parameters ${unknown.join(', ')} (only sslmode, sslrootcert)`,
    )
  }
  const mode = sslMode.safeParse(url.searchParams.get('sslmode') ?? undefined)
  if (!mode.success) problems.push(`${name}: sslmode must be one of ${SSL_MODES.join(', ')}`)
  const rootCert = url.searchParams.get('sslrootcert')
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    database,
    user: decodeURIComponent(url.username),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(mode.success && mode.data ? { sslMode: mode.data } : {}),
    ...(rootCert ? { sslRootCert: rootCert } : {}),
  }
}

/** The settings as one URL (for a migrator in another package): parseDatabaseUrl reads it back. */
export function databaseUrl(settings: DatabaseSettings, database = settings.database): string {
  const credentials = `${encodeURIComponent(settings.user)}${settings.password ? `:${encodeURIComponent(settings.password)}` : ''}`
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host
  const query = new URLSearchParams({
    ...(settings.sslMode ? { sslmode: settings.sslMode } : {}),
    ...(settings.sslRootCert ? { sslrootcert: settings.sslRootCert } : {}),
  }).toString()
  return `postgres://${credentials}@${host}:${settings.port}/${encodeURIComponent(database)}${query ? `?${query}` : ''}`
}

/** What the pg driver needs to reach a Postgres (also an embedded one behind a socket). */
export interface PgConnection {
  host: string
  port: number
  user: string
  password?: string
  database: string
  ssl?: ConnectionOptions
}

/** pg connection options, TLS as libpq's sslmode means it; reads the CA bundle now. */
export function pgConnection(
  settings: DatabaseSettings,
  database = settings.database,
): PgConnection {
  const ssl = tlsOptions(settings)
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    ...(settings.password ? { password: settings.password } : {}),
    database,
    ...(ssl ? { ssl } : {}),
  }
}

function tlsOptions(settings: DatabaseSettings): ConnectionOptions | undefined {
  const mode = settings.sslMode ?? 'disable'
  if (mode === 'disable') return undefined
  if (mode === 'require') return { rejectUnauthorized: false }
  const ca = settings.sslRootCert ? readFileSync(settings.sslRootCert, 'utf8') : undefined
  return {
    rejectUnauthorized: true,
    ...(ca ? { ca } : {}),
    // verify-ca trusts the chain but, like libpq, not the host name.
    ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
  }
}
