// Attachment objects, backed up incrementally: each backup writes an index of every object
// in the attachments bucket (key, size, ETag, sha256, blob), and only objects that are new
// or changed since the previous good backup are copied, encrypted, into the shared
// `attachments/` area. Unchanged ones point at the blob an earlier backup stored.
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { z } from 'zod'
import { readCatalog } from './catalog.ts'
import { mapLimit } from './concurrency.ts'
import type { S3Settings } from './config.ts'
import { decryptStream, encryptStream } from './container.ts'
import type { Engine } from './engine.ts'
import { BackupError, integrityError, usageError } from './errors.ts'
import type { AttachmentsFacts, Manifest } from './manifest.ts'
import {
  backupKeys,
  blobKey,
  deleteKeys,
  download,
  listObjects,
  type StoredObject,
  s3Client,
  uploadThrough,
} from './storage.ts'
import { meter } from './streams.ts'

const COPY_CONCURRENCY = 4
const PART_BYTES = 8 * 1024 * 1024

const indexEntrySchema = z.object({
  key: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  blob: z.string().regex(/^[0-9a-f]{64}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})
export type IndexEntry = z.infer<typeof indexEntrySchema>

/** The same object version always maps to the same blob, so a retried copy overwrites itself. */
function blobId(object: StoredObject): string {
  return createHash('sha256').update(`${object.key}\0${object.etag}\0${object.size}`).digest('hex')
}

const indexContext = (backupId: string) => `attachments-index/${backupId}`
const blobContext = (blob: string) => `attachment/${blob}`

export async function backupAttachments(
  engine: Engine,
  backupId: string,
  source: S3Settings,
): Promise<AttachmentsFacts> {
  const client = s3Client(source)
  try {
    const previous = await previousIndex(engine)
    const facts = { objects: 0, bytes: 0, copiedObjects: 0, copiedBytes: 0 }
    const entries: IndexEntry[] = []
    let page: StoredObject[] = []
    const flush = async () => {
      const copied = await mapLimit(page, COPY_CONCURRENCY, async (object) => {
        const known = previous.get(object.key)
        if (known && known.etag === object.etag && known.size === object.size) return known
        const entry = await copyIn(engine, client, source.bucket, object)
        if (entry) {
          facts.copiedObjects += 1
          facts.copiedBytes += entry.size
        }
        return entry
      })
      for (const entry of copied) {
        if (!entry) continue
        entries.push(entry)
        facts.objects += 1
        facts.bytes += entry.size
      }
      page = []
    }
    for await (const object of listObjects(client, source.bucket, '')) {
      page.push(object)
      if (page.length >= 100) await flush()
    }
    await flush()
    const index = await writeIndex(engine, backupId, entries)
    engine.logger.info({ ...facts }, 'attachments stored')
    return { index, ...facts }
  } finally {
    client.destroy()
  }
}

/** The index of the newest good backup that has one, by object key. */
async function previousIndex(engine: Engine): Promise<Map<string, IndexEntry>> {
  const previous = (await readCatalog(engine)).find(
    (entry) => entry.status === 'good' && entry.manifest?.attachments,
  )
  if (!previous?.manifest) return new Map()
  try {
    const entries = await readAttachmentIndex(engine, previous.manifest)
    return new Map(entries.map((entry) => [entry.key, entry]))
  } catch (error) {
    // A damaged earlier index must not stop today's backup: copy everything instead.
    if (!(error instanceof BackupError) || error.kind === 'unavailable') throw error
    engine.logger.warn(
      { previous: previous.id, error: error.message },
      'the previous attachments index cannot be read: copying every attachment',
    )
    return new Map()
  }
}

/** Copies one object into its blob; undefined when it was deleted since it was listed. */
async function copyIn(
  engine: Engine,
  client: ReturnType<typeof s3Client>,
  bucket: string,
  object: StoredObject,
): Promise<IndexEntry | undefined> {
  let body: Readable
  try {
    body = await download(client, bucket, object.key)
  } catch (error) {
    if (error instanceof BackupError && error.kind === 'notFound') return undefined
    throw error
  }
  const blob = blobId(object)
  const plaintext = meter()
  await uploadThrough(
    engine.store.client,
    engine.store.bucket,
    blobKey(engine.store, blob),
    [
      body,
      plaintext.stream,
      encryptStream({ keyring: engine.keyring, context: blobContext(blob) }),
    ],
    { partSize: PART_BYTES, signal: engine.signal, sse: engine.store.serverSideEncryption },
  )
  const { bytes, sha256 } = plaintext.result()
  return { key: object.key, size: bytes, etag: object.etag, blob, sha256 }
}

async function writeIndex(engine: Engine, backupId: string, entries: IndexEntry[]) {
  const key = backupKeys(engine.store, backupId).attachments
  const ciphertext = meter()
  await uploadThrough(
    engine.store.client,
    engine.store.bucket,
    key,
    [
      Readable.from(entries.map((entry) => `${JSON.stringify(entry)}\n`)),
      zlib.createZstdCompress(),
      encryptStream({ keyring: engine.keyring, context: indexContext(backupId) }),
      ciphertext.stream,
    ],
    { partSize: PART_BYTES, signal: engine.signal, sse: engine.store.serverSideEncryption },
  )
  const { bytes, sha256 } = ciphertext.result()
  return {
    key: key.slice(engine.store.prefix.length),
    ciphertextBytes: bytes,
    ciphertextSha256: sha256,
  }
}

/** The authenticated index of a backup's attachments. */
export async function readAttachmentIndex(
  engine: Engine,
  manifest: Manifest,
): Promise<IndexEntry[]> {
  const facts = manifest.attachments
  if (!facts) return []
  const ciphertext = meter()
  const lines = createInterface({
    input: (
      await download(
        engine.store.client,
        engine.store.bucket,
        `${engine.store.prefix}${facts.index.key}`,
      )
    )
      .pipe(ciphertext.stream)
      .pipe(decryptStream({ keyring: engine.keyring, context: indexContext(manifest.id) }))
      .pipe(zlib.createZstdDecompress()),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  const entries: IndexEntry[] = []
  for await (const line of lines) {
    if (line) entries.push(indexEntrySchema.parse(JSON.parse(line)))
  }
  const { bytes, sha256 } = ciphertext.result()
  if (bytes !== facts.index.ciphertextBytes || sha256 !== facts.index.ciphertextSha256) {
    throw integrityError(`backup ${manifest.id}: the attachments index does not match the manifest`)
  }
  return entries
}

/**
 * Writes the backup's attachment objects back into the attachments bucket: those missing
 * there or of another size. Objects the backup does not know are left alone.
 */
export async function restoreAttachments(engine: Engine, manifest: Manifest): Promise<number> {
  const target = engine.config.attachments
  if (!target) throw usageError('restoring attachments needs the attachments bucket (S3_BUCKET)')
  const entries = await readAttachmentIndex(engine, manifest)
  const client = s3Client(target)
  try {
    const present = new Map<string, number>()
    for await (const object of listObjects(client, target.bucket, ''))
      present.set(object.key, object.size)
    const wanted = entries.filter((entry) => present.get(entry.key) !== entry.size)
    await mapLimit(wanted, COPY_CONCURRENCY, (entry) =>
      copyOut(engine, client, target.bucket, entry),
    )
    engine.logger.info(
      { restored: wanted.length, unchanged: entries.length - wanted.length },
      'attachments restored',
    )
    return wanted.length
  } finally {
    client.destroy()
  }
}

async function copyOut(
  engine: Engine,
  client: ReturnType<typeof s3Client>,
  bucket: string,
  entry: IndexEntry,
): Promise<void> {
  const plaintext = meter()
  await uploadThrough(
    client,
    bucket,
    entry.key,
    [
      await download(engine.store.client, engine.store.bucket, blobKey(engine.store, entry.blob)),
      decryptStream({ keyring: engine.keyring, context: blobContext(entry.blob) }),
      plaintext.stream,
    ],
    { partSize: PART_BYTES, signal: engine.signal },
  )
  if (plaintext.result().sha256 !== entry.sha256) {
    await deleteKeys({ client, bucket, prefix: '' }, [entry.key])
    throw integrityError(`attachment ${entry.key}: restored content does not match the index`)
  }
}

/** Every blob the given backups still refer to. */
export async function referencedBlobs(
  engine: Engine,
  manifests: readonly Manifest[],
): Promise<Set<string>> {
  const blobs = new Set<string>()
  for (const manifest of manifests) {
    for (const entry of await readAttachmentIndex(engine, manifest)) blobs.add(entry.blob)
  }
  return blobs
}
