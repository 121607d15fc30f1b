// `restore`: every restore first goes into a fresh staging database. Only when the whole
// object has been authenticated chunk by chunk, both sha256 sums match the manifest,
// pg_restore has succeeded and the migrations have run is the staging database renamed to
// the target. Any failure drops the staging database, so the target is never touched by a
// wrong key, a truncated or tampered object, a missing manifest or a failed migration.

import { randomBytes } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { databaseUrl } from '@helpdesk/config'
import type pg from 'pg'
import { restoreAttachments } from './attachments.ts'
import { findBackup } from './catalog.ts'
import { type DatabaseSettings, requireDatabase } from './config.ts'
import { decryptStream } from './container.ts'
import type { Engine } from './engine.ts'
import { BackupError, integrityError, keyError, messageOf } from './errors.ts'
import type { Manifest } from './manifest.ts'
import { startProgress } from './output.ts'
import {
  clientTool,
  connect,
  createEmptyDatabase,
  databaseExists,
  dropDatabase,
  serverFacts,
  toolEnvironment,
} from './postgres.ts'
import { spawnTool } from './process.ts'
import { download } from './storage.ts'
import { type Measurement, meter } from './streams.ts'

export type RestoreTarget =
  | { mode: 'newDatabase'; database: string }
  /** Replaces the configured database; the old one is kept under another name. */
  | { mode: 'inPlace' }

export interface RestoreOptions {
  backupId?: string
  target: RestoreTarget
  /** Also copy the backup's attachments back into the attachments bucket. */
  attachments: boolean
  /** The database to connect to for CREATE/ALTER/DROP DATABASE. */
  maintenanceDatabase: string
}

export interface RestoreResult {
  backupId: string
  database: string
  /** In-place restores keep the database they replaced under this name. */
  previousDatabase?: string
  schemaVersion: string | null
  attachmentsRestored?: number
}

const MAX_IDENTIFIER_BYTES = 63

/** `<base>_<suffix>`, shortening the base so the name fits a Postgres identifier. */
export function derivedName(base: string, suffix: string): string {
  const room = MAX_IDENTIFIER_BYTES - suffix.length - 1
  let shortened = base
  while (Buffer.byteLength(shortened) > room) shortened = shortened.slice(0, -1)
  return `${shortened}_${suffix}`
}

export async function restore(engine: Engine, options: RestoreOptions): Promise<RestoreResult> {
  const settings = requireDatabase(engine.config)
  const manifest = await findBackup(engine, options.backupId)
  const target = options.target.mode === 'newDatabase' ? options.target.database : settings.database
  const log = engine.logger.child({ backup: manifest.id, database: target })
  const admin = await connect(settings, options.maintenanceDatabase)
  try {
    const exists = await databaseExists(admin, target)
    if (options.target.mode === 'newDatabase' && exists) {
      throw new BackupError(
        'conflict',
        `database '${target}' already exists: restore into a new name, or replace it with --in-place --confirm ${target}`,
      )
    }
    if (options.target.mode === 'inPlace' && !exists) {
      throw new BackupError(
        'conflict',
        `database '${target}' does not exist: there is nothing to replace in place`,
      )
    }
    log.info({ mode: options.target.mode }, 'restore started')
    const staging = await restoreIntoNewDatabase(
      engine,
      manifest,
      admin,
      derivedName(target, `restoring_${randomBytes(3).toString('hex')}`),
    )
    let previousDatabase: string | undefined
    try {
      await migrate(engine, settings, staging)
      if (options.target.mode === 'inPlace') {
        previousDatabase = await replaceDatabase(admin, target, staging, engine.now())
      } else {
        await renameDatabase(admin, staging, target)
      }
    } catch (error) {
      await dropDatabase(admin, staging).catch(() => {})
      throw error
    }
    const schemaVersion = engine.schema
      ? await engine.schema.schemaVersion(databaseUrl(settings, target))
      : null
    const attachmentsRestored = options.attachments
      ? await restoreAttachments(engine, manifest)
      : undefined
    log.info({ previousDatabase, schemaVersion }, 'restore complete')
    return {
      backupId: manifest.id,
      database: target,
      schemaVersion,
      ...(previousDatabase ? { previousDatabase } : {}),
      ...(attachmentsRestored === undefined ? {} : { attachmentsRestored }),
    }
  } finally {
    await admin.end().catch(() => {})
  }
}

/**
 * Creates `name` and restores the backup into it; on any failure drops it again. The
 * caller owns the database afterwards.
 */
export async function restoreIntoNewDatabase(
  engine: Engine,
  manifest: Manifest,
  admin: pg.Client,
  name: string,
): Promise<string> {
  const settings = requireDatabase(engine.config)
  const server = await serverFacts(admin)
  if (server.versionNum < manifest.database.serverVersionNum) {
    throw new BackupError(
      'version',
      `the backup comes from Postgres ${manifest.database.serverVersion}; it cannot be restored into the older Postgres ${server.version}`,
    )
  }
  const pgRestore = await clientTool('pg_restore', server.major)
  await createEmptyDatabase(admin, name, manifest.database)
  try {
    await streamIntoDatabase(engine, manifest, pgRestore, toolEnvironment(settings, name))
    return name
  } catch (error) {
    await dropDatabase(admin, name).catch((cleanup: unknown) =>
      engine.logger.warn(
        { database: name, error: messageOf(cleanup) },
        'could not drop the scratch database',
      ),
    )
    throw error
  }
}

/** S3 -> sha256 -> decrypt -> zstd -> sha256 -> pg_restore, then both sums against the manifest. */
async function streamIntoDatabase(
  engine: Engine,
  manifest: Manifest,
  pgRestore: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const body = await download(
    engine.store.client,
    engine.store.bucket,
    `${engine.store.prefix}${manifest.dump.key}`,
  )
  const tool = spawnTool(
    pgRestore,
    [
      '--exit-on-error',
      '--no-owner',
      '--no-acl',
      '--no-password',
      // As a conninfo keyword, so that no database name can pass for a connection string.
      `--dbname=dbname=${conninfoValue(env.PGDATABASE as string)}`,
    ],
    env,
    { stdin: true, stdout: false },
  )
  const progress = startProgress({
    phase: 'restore',
    total: manifest.dump.ciphertextBytes,
    stderr: engine.stderr,
    logger: engine.logger,
  })
  const ciphertext = meter((bytes) => progress.update(bytes))
  const plaintext = meter()
  try {
    await Promise.all([
      pipeline(
        body,
        ciphertext.stream,
        decryptStream({ keyring: engine.keyring, context: `database/${manifest.id}` }),
        zlib.createZstdDecompress(),
        plaintext.stream,
        tool.child.stdin as NodeJS.WritableStream,
        { signal: engine.signal },
      ),
      tool.exited,
    ])
  } catch (error) {
    tool.child.kill()
    body.destroy()
    const toolFailure = await tool.exited.then(
      () => undefined,
      (failure: unknown) => failure,
    )
    // A broken pipe into pg_restore is a symptom: pg_restore's own message is the cause.
    throw error instanceof BackupError || engine.signal.aborted || !toolFailure
      ? error
      : toolFailure
  } finally {
    progress.finish()
  }
  checkAgainstManifest(manifest, ciphertext.result(), plaintext.result())
}

/** A libpq connection-string value: quoted, with quotes and backslashes escaped. */
function conninfoValue(value: string): string {
  return `'${value.replace(/[\\']/g, (character) => `\\${character}`)}'`
}

function checkAgainstManifest(
  manifest: Manifest,
  ciphertext: Measurement,
  plaintext: Measurement,
): void {
  const { dump } = manifest
  if (ciphertext.bytes !== dump.ciphertextBytes || ciphertext.sha256 !== dump.ciphertextSha256) {
    throw integrityError(
      `backup ${manifest.id}: the stored object (${ciphertext.bytes} bytes, sha256 ${ciphertext.sha256}) is not the one the manifest describes (${dump.ciphertextBytes} bytes, sha256 ${dump.ciphertextSha256})`,
    )
  }
  if (plaintext.bytes !== dump.plaintextBytes || plaintext.sha256 !== dump.plaintextSha256) {
    throw integrityError(
      `backup ${manifest.id}: the decrypted dump does not match the manifest's sha256`,
    )
  }
}

async function migrate(
  engine: Engine,
  settings: DatabaseSettings,
  database: string,
): Promise<void> {
  if (!engine.schema) {
    engine.logger.warn('no application schema given: migrations were not run')
    return
  }
  const url = databaseUrl(settings, database)
  await engine.schema.migrate(url).catch((error: unknown) => {
    throw new BackupError(
      'failure',
      `migrating the restored database failed: ${messageOf(error)}`,
      { cause: error },
    )
  })
  const problems = (await engine.schema.usabilityProblems?.(url)) ?? []
  if (problems.length > 0) {
    throw keyError(
      `this installation cannot use the restored data:\n${problems.map((line) => `  - ${line}`).join('\n')}`,
    )
  }
}

async function renameDatabase(admin: pg.Client, from: string, to: string): Promise<void> {
  await admin.query(
    `ALTER DATABASE ${admin.escapeIdentifier(from)} RENAME TO ${admin.escapeIdentifier(to)}`,
  )
}

/**
 * Swaps the restored database in: new connections to the target are refused, remaining
 * ones ended, then both renames happen in one transaction. Returns the name the replaced
 * database is kept under.
 */
async function replaceDatabase(
  admin: pg.Client,
  target: string,
  staging: string,
  now: Date,
): Promise<string> {
  const previous = derivedName(
    target,
    `before_restore_${now.toISOString().replace(/\D/g, '').slice(0, 14)}`,
  )
  const quoted = admin.escapeIdentifier(target)
  await admin.query(`ALTER DATABASE ${quoted} WITH ALLOW_CONNECTIONS false`)
  try {
    await endConnections(admin, target)
    await admin.query('BEGIN')
    await admin.query(`ALTER DATABASE ${quoted} RENAME TO ${admin.escapeIdentifier(previous)}`)
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(staging)} RENAME TO ${quoted}`)
    await admin.query('COMMIT')
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => {})
    await admin.query(`ALTER DATABASE ${quoted} WITH ALLOW_CONNECTIONS true`).catch(() => {})
    throw error
  }
  await admin.query(
    `ALTER DATABASE ${admin.escapeIdentifier(previous)} WITH ALLOW_CONNECTIONS true`,
  )
  return previous
}

async function endConnections(admin: pg.Client, database: string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { rows } = await admin.query<{ remaining: string }>(
      `SELECT count(*) FILTER (WHERE NOT pg_terminate_backend(pid)) + count(*) AS remaining
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    )
    if (Number(rows[0]?.remaining ?? 0) === 0) return
    if (Date.now() > deadline) {
      throw new BackupError(
        'conflict',
        `sessions connected to '${database}' did not end within 30 s`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
