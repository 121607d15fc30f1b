// `backup`: pg_dump -Fc -> zstd -> encrypted container -> S3 multipart upload, all streamed
// (memory holds a few upload parts, never the dump); then the attachments; then the
// manifest, last, so that only a complete backup ever has one.

import zlib from 'node:zlib'
import { databaseUrl } from '@helpdesk/config'
import type pg from 'pg'
import { backupAttachments } from './attachments.ts'
import { newBackupId } from './backup-id.ts'
import { requireDatabase } from './config.ts'
import { encryptStream } from './container.ts'
import type { Engine } from './engine.ts'
import { messageOf } from './errors.ts'
import {
  type AttachmentsFacts,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  sealManifest,
  type Tier,
} from './manifest.ts'
import { startProgress } from './output.ts'
import {
  backendPid,
  cancelQuery,
  clientTool,
  connect,
  databaseFacts,
  requireKeyTables,
  serverFacts,
  tableFacts,
  toolEnvironment,
} from './postgres.ts'
import { spawnTool } from './process.ts'
import { backupKeys, deleteKeys, listObjects, putText, uploadThrough } from './storage.ts'
import { endsAfter, meter } from './streams.ts'
import { ENGINE_VERSION } from './version.ts'

export interface BackupOptions {
  tier: Tier
  /** Also copy new and changed attachment objects (when an attachments bucket is configured). */
  attachments: boolean
}

const MIN_PART_BYTES = 8 * 1024 * 1024
/** S3 allows 10,000 parts; leave room for a dump larger than the estimate. */
const PLANNED_PARTS = 5000

/** Part size for an expected object size, in whole MiB. */
function partSizeFor(expectedBytes: number): number {
  const needed = Math.ceil(expectedBytes / PLANNED_PARTS / 1048576) * 1048576
  return Math.max(MIN_PART_BYTES, needed)
}

export async function backup(engine: Engine, options: BackupOptions): Promise<Manifest> {
  const settings = requireDatabase(engine.config)
  const startedAt = engine.now()
  const id = newBackupId(startedAt)
  const keys = backupKeys(engine.store, id)
  const log = engine.logger.child({ backup: id })
  const source = await connect(settings)
  try {
    const server = await serverFacts(source)
    const pgDump = await clientTool('pg_dump', server.major)
    const schemaVersion = engine.schema
      ? await engine.schema.schemaVersion(databaseUrl(settings))
      : null
    await requireKeyTables(source, engine.schema?.keyTables ?? [])
    const estimate = await tableBytes(source)
    log.info(
      {
        database: settings.database,
        server: server.version,
        tier: options.tier,
        estimatedBytes: estimate,
      },
      'backup started',
    )
    const dump = await dumpDatabase(engine, {
      source,
      pgDump,
      context: `database/${id}`,
      key: keys.database,
      estimate,
    })
    log.info(
      { plaintextBytes: dump.plaintext.bytes, ciphertextBytes: dump.ciphertext.bytes },
      'database stored',
    )
    const attachments = await attachmentsFor(engine, id, options)
    const manifest: Manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      id,
      tier: options.tier,
      startedAt: startedAt.toISOString(),
      completedAt: engine.now().toISOString(),
      engineVersion: ENGINE_VERSION,
      database: {
        name: settings.database,
        serverVersion: server.version,
        serverVersionNum: server.versionNum,
        ...(await databaseFacts(source)),
      },
      schemaVersion,
      dump: {
        key: keys.database.slice(engine.store.prefix.length),
        format: 'pg_dump-custom',
        compression: 'zstd',
        encryption: 'hdbk1-aes-256-gcm',
        keyId: engine.keyring.currentKeyId,
        plaintextBytes: dump.plaintext.bytes,
        plaintextSha256: dump.plaintext.sha256,
        ciphertextBytes: dump.ciphertext.bytes,
        ciphertextSha256: dump.ciphertext.sha256,
      },
      tables: dump.tables,
      attachments,
    }
    await putText(engine.store, keys.manifest, sealManifest(manifest, engine.keyring))
    log.info(
      { durationMs: Date.parse(manifest.completedAt) - startedAt.getTime() },
      'backup complete',
    )
    return manifest
  } catch (error) {
    await removeBackupObjects(engine, keys.dir).catch((cleanup: unknown) =>
      log.warn(
        { error: messageOf(cleanup) },
        'could not remove the objects of the failed backup; `prune` will',
      ),
    )
    throw error
  } finally {
    await source.end().catch(() => {})
  }
}

/** Heap and TOAST bytes of all tables: what the dump's size roughly follows. */
async function tableBytes(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_table_size(c.oid)), 0) AS bytes FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  )
  return Number(rows[0]?.bytes ?? 0)
}

interface DumpInput {
  source: pg.Client
  pgDump: string
  context: string
  key: string
  estimate: number
}

/**
 * Runs pg_dump inside a snapshot exported by `source`, so that the row counts and
 * checksums computed in the same snapshot describe exactly the rows in the dump.
 */
async function dumpDatabase(engine: Engine, input: DumpInput) {
  const { source } = input
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  try {
    const { rows } = await source.query<{ snapshot: string }>(
      'SELECT pg_export_snapshot() AS snapshot',
    )
    const snapshot = rows[0]?.snapshot as string
    const pgDump = spawnTool(
      input.pgDump,
      [
        '--format=custom',
        // zstd in our pipeline compresses better, and on another core.
        '--compress=0',
        `--snapshot=${snapshot}`,
        // Fail rather than queue for ever behind a migration's exclusive lock.
        '--lock-wait-timeout=120000',
        '--no-password',
      ],
      toolEnvironment(requireDatabase(engine.config)),
      { stdin: false, stdout: true },
    )
    const failed = new AbortController()
    const progress = startProgress({
      phase: 'backup',
      total: input.estimate,
      stderr: engine.stderr,
      logger: engine.logger,
    })
    const plaintext = meter((bytes) => progress.update(bytes))
    const ciphertext = meter()
    const storing = uploadThrough(
      engine.store.client,
      engine.store.bucket,
      input.key,
      [
        pgDump.child.stdout as NodeJS.ReadableStream,
        endsAfter(pgDump.exited),
        plaintext.stream,
        zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 3 } }),
        encryptStream({ keyring: engine.keyring, context: input.context }),
        ciphertext.stream,
      ],
      {
        partSize: partSizeFor(input.estimate),
        signal: AbortSignal.any([engine.signal, failed.signal]),
        sse: engine.store.serverSideEncryption,
      },
    )
    const sourcePid = await backendPid(source)
    let counted = false
    const counting = tableFacts(source, engine.schema?.keyTables ?? []).finally(() => {
      counted = true
    })
    try {
      const [tables] = await Promise.all([counting, storing])
      return { tables, plaintext: plaintext.result(), ciphertext: ciphertext.result() }
    } catch (error) {
      failed.abort(error)
      pgDump.child.kill()
      // Counting a large table can take minutes; a failed backup should not wait for it.
      if (!counted) await cancelQuery(requireDatabase(engine.config), sourcePid).catch(() => {})
      await Promise.allSettled([counting, storing, pgDump.exited])
      throw error
    } finally {
      progress.finish()
    }
  } finally {
    await source.query('ROLLBACK').catch(() => {})
  }
}

async function attachmentsFor(
  engine: Engine,
  id: string,
  options: BackupOptions,
): Promise<AttachmentsFacts | null> {
  if (!options.attachments) return null
  if (!engine.config.attachments) {
    engine.logger.info('no attachments bucket configured (S3_BUCKET): attachments not backed up')
    return null
  }
  return backupAttachments(engine, id, engine.config.attachments)
}

async function removeBackupObjects(engine: Engine, dir: string): Promise<void> {
  const keys: string[] = []
  for await (const object of listObjects(engine.store.client, engine.store.bucket, dir))
    keys.push(object.key)
  await deleteKeys(engine.store, keys)
}
