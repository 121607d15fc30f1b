import type { ConnectionOptions } from 'node:tls'
import type { DatabaseTls } from '../config.ts'

/** Where a Postgres is and how to reach it; shared by the ORM pool and the migration lock. */
export interface PostgresTarget {
  host: string
  port: number
  user: string
  password?: string
  database: string
  ssl?: ConnectionOptions
}

export function targetFromUrl(url: string, tls?: DatabaseTls): PostgresTarget {
  const parsed = new URL(url)
  return {
    host: decodeURIComponent(parsed.hostname),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    ...(tls ? { ssl: sslOptions(tls) } : {}),
  }
}

function sslOptions(tls: DatabaseTls): ConnectionOptions {
  return {
    rejectUnauthorized: tls.verify !== 'none',
    ...(tls.ca ? { ca: tls.ca } : {}),
    // verify-ca: the chain must be trusted, but the server name need not match.
    ...(tls.verify === 'chain' ? { checkServerIdentity: () => undefined } : {}),
  }
}

/** pg options for one connection or a pool; failing fast beats hanging on a dead server. */
export function pgOptions(target: PostgresTarget) {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: target.ssl,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  }
}
