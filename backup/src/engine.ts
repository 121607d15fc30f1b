import type { EngineConfig } from './config.ts'
import type { Keyring } from './keyring.ts'
import type { Logger, Terminal } from './output.ts'
import type { Store } from './storage.ts'

/**
 * What the engine needs to know about the application whose database it backs up. The API
 * passes its real migrator; the engine never imports the API (the API's CLI depends on it).
 */
export interface ApplicationSchema {
  /** The version the database's schema is at, e.g. the name of the last applied migration. */
  schemaVersion(databaseUrl: string): Promise<string>
  /** Applies the migrations the database does not have yet. */
  migrate(databaseUrl: string): Promise<void>
  /** Migrations the database does not have yet; empty when its schema is current. */
  pendingMigrations(databaseUrl: string): Promise<string[]>
  /** Tables whose rows get a checksum in the manifest: `schema.table`, or `table` in any schema. */
  keyTables?: readonly string[]
  /**
   * What keeps this installation from using the restored data, e.g. secrets encrypted with an
   * application key it does not have. Any problem fails a restore (exit code 5) before the
   * target is touched, and is reported by verify.
   */
  usabilityProblems?(databaseUrl: string): Promise<string[]>
}

/** Everything a command works with, assembled once by the CLI. */
export interface Engine {
  config: EngineConfig
  keyring: Keyring
  store: Store
  logger: Logger
  stderr: Terminal
  schema?: ApplicationSchema
  /** Aborted on SIGINT/SIGTERM: stages stop, uploads abort, scratch databases go. */
  signal: AbortSignal
  now(): Date
}
