import type { PgConnection } from '@helpdesk/config'

/** Where a Postgres is and how to reach it; shared by the ORM pool and the migration lock. */
export type PostgresTarget = PgConnection

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
