// The backup bucket's layout (README.md "Layout in the bucket"), under the configured prefix:
//   backups/<id>/database.hdbk      the encrypted, compressed pg_dump -Fc
//   backups/<id>/attachments.hdbk   the encrypted index of the attachments in this backup
//   backups/<id>/manifest.json      written last: a backup without it is incomplete
//   attachments/<blob>.hdbk         attachment objects, shared between backups
import { PassThrough, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type LifecycleRule,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import type { BackupLocation, S3Settings, ServerSideEncryption } from './config.ts'
import { BackupError, messageOf } from './errors.ts'

export interface Store {
  client: S3Client
  bucket: string
  prefix: string
  /** Asked of S3 for every object the engine writes. */
  serverSideEncryption?: ServerSideEncryption
}

export interface StoredObject {
  key: string
  size: number
  lastModified: Date
  etag: string
}

export function s3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Without timeouts a hung S3 endpoint would hang the backup Job forever.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
  })
}

export function openStore(location: BackupLocation): Store {
  return {
    client: s3Client(location),
    bucket: location.bucket,
    prefix: location.prefix,
    ...(location.serverSideEncryption
      ? { serverSideEncryption: location.serverSideEncryption }
      : {}),
  }
}

/** The PutObject / CreateMultipartUpload parameters of server-side encryption. */
export function encryptionParameters(sse: ServerSideEncryption | undefined) {
  if (!sse) return {}
  return {
    ServerSideEncryption: sse.algorithm,
    ...(sse.kmsKeyId ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
  } as const
}

export const BACKUPS_DIR = 'backups/'
export const BLOBS_DIR = 'attachments/'

export function backupKeys(store: Store, id: string) {
  const dir = `${store.prefix}${BACKUPS_DIR}${id}/`
  return {
    dir,
    manifest: `${dir}manifest.json`,
    database: `${dir}database.hdbk`,
    attachments: `${dir}attachments.hdbk`,
  }
}

export function blobKey(store: Store, blob: string): string {
  return `${store.prefix}${BLOBS_DIR}${blob}.hdbk`
}

/** S3 failures become "unavailable" errors that say what was being done. */
export async function s3Call<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof BackupError) throw error
    throw new BackupError('unavailable', `S3: cannot ${what}: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)

export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<StoredObject> {
  let token: string | undefined
  do {
    const page = await s3Call(`list s3://${bucket}/${prefix}`, () =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      ),
    )
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue
      yield {
        key: object.Key,
        size: object.Size ?? 0,
        lastModified: object.LastModified ?? new Date(0),
        etag: object.ETag ?? '',
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token)
}

/** The object's text, or undefined when it does not exist. */
export async function readText(store: Store, key: string): Promise<string | undefined> {
  try {
    const object = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }))
    return await (object.Body as { transformToString(): Promise<string> }).transformToString()
  } catch (error) {
    if (isMissing(error)) return undefined
    throw new BackupError('unavailable', `S3: cannot read ${key}: ${messageOf(error)}`)
  }
}

export async function putText(store: Store, key: string, text: string): Promise<void> {
  await s3Call(`write ${key}`, () =>
    store.client.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: key,
        Body: text,
        ContentType: 'application/json',
        ...encryptionParameters(store.serverSideEncryption),
      }),
    ),
  )
}

/** A stream of the object; a missing object is a not-found error. */
export async function download(client: S3Client, bucket: string, key: string): Promise<Readable> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    return object.Body as Readable
  } catch (error) {
    if (isMissing(error)) throw new BackupError('notFound', `s3://${bucket}/${key} does not exist`)
    throw new BackupError('unavailable', `S3: cannot read ${key}: ${messageOf(error)}`)
  }
}

/**
 * Streams `body` into one object with a multipart upload. When anything fails, the body
 * stream included, the upload is aborted, so no part of a failed backup stays stored as
 * an object or as parts; if S3 itself is unreachable the leftover upload is reported and
 * `prune` aborts it later.
 */
export async function upload(
  client: S3Client,
  bucket: string,
  key: string,
  body: Readable,
  partSize: number,
  sse?: ServerSideEncryption,
): Promise<void> {
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body, ...encryptionParameters(sse) },
    partSize,
    queueSize: 2,
    leavePartsOnError: false,
  })
  try {
    await upload.done()
  } catch (error) {
    body.destroy()
    const leftovers = await abortUploads(client, bucket, key).catch(
      (abortError: unknown) => `could not abort the upload: ${messageOf(abortError)}`,
    )
    if (error instanceof BackupError) throw error
    throw new BackupError(
      'unavailable',
      `S3: upload of ${key} failed: ${messageOf(error)}${typeof leftovers === 'string' ? ` (${leftovers}; \`prune\` removes it later)` : ''}`,
      { cause: error },
    )
  }
}

/**
 * Pipes `streams` (a source and transforms) into a new object. Whichever side fails first
 * stops the other: a failing source aborts the upload, a failing upload stops the source.
 */
export async function uploadThrough(
  client: S3Client,
  bucket: string,
  key: string,
  streams: readonly (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[],
  options: { partSize: number; signal: AbortSignal; sse?: ServerSideEncryption },
): Promise<void> {
  const body = new PassThrough()
  const uploading = upload(client, bucket, key, body, options.partSize, options.sse)
  const streaming = pipeline([...streams, body], { signal: options.signal })
  try {
    await Promise.all([streaming, uploading])
  } catch (error) {
    body.destroy(error as Error)
    await Promise.allSettled([streaming, uploading])
    throw error
  }
}

/**
 * Aborts multipart uploads under `prefix` (started before `before`); returns how many.
 * Lists every upload in the bucket and filters here: MinIO only honours a prefix that is a
 * whole object key.
 */
export async function abortUploads(
  client: S3Client,
  bucket: string,
  prefix: string,
  before?: Date,
): Promise<number> {
  let aborted = 0
  let keyMarker: string | undefined
  let uploadIdMarker: string | undefined
  do {
    const page = await s3Call(`list the multipart uploads in ${bucket}`, () =>
      client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      ),
    )
    for (const pending of page.Uploads ?? []) {
      if (!pending.Key?.startsWith(prefix) || !pending.UploadId) continue
      if (before && pending.Initiated && pending.Initiated.getTime() > before.getTime()) continue
      await s3Call(`abort the upload of ${pending.Key}`, () =>
        client.send(
          new AbortMultipartUploadCommand({
            Bucket: bucket,
            Key: pending.Key,
            UploadId: pending.UploadId,
          }),
        ),
      )
      aborted += 1
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined
  } while (keyMarker)
  return aborted
}

export async function deleteKeys(store: Store, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000)
    const result = await s3Call(`delete ${batch.length} objects`, () =>
      store.client.send(
        new DeleteObjectsCommand({
          Bucket: store.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      ),
    )
    const failed = result.Errors ?? []
    if (failed.length > 0) {
      throw new BackupError(
        'unavailable',
        `S3: could not delete ${failed.map((entry) => `${entry.Key} (${entry.Code})`).join(', ')}`,
      )
    }
  }
}

/** Days after which S3 itself removes a backup and abandons an upload (see lifecycleRules). */
export interface LifecycleDays {
  backups: number
  /** Absent when the store keeps no abort rule (MinIO: it drops stale uploads itself). */
  incompleteUploads?: number
}

/**
 * The bucket's lifecycle rules under the prefix, for a bucket that is this install's own: a
 * safety net behind `prune`, which applies the retention itself. Backup objects expire once
 * no retention could keep them; attachment blobs never do (backups share them, and `prune`
 * knows which are unreferenced); abandoned multipart uploads go after a few days. A store
 * that does not know AbortIncompleteMultipartUpload (MinIO drops the element, leaving a rule
 * without an action, and rejects the configuration) gets the expiry rule alone. Returns what was set.
 */
// MinIO answers InvalidArgument ("The XML you provided was not well-formed…"); S3 would say
// MalformedXML.
const isRuleRejected = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'MalformedXML' || error.name === 'InvalidArgument')

export async function putLifecycle(store: Store, days: LifecycleDays): Promise<LifecycleDays> {
  const expire: LifecycleRule = {
    ID: 'helpdesk-backups-expire',
    Status: 'Enabled',
    Filter: { Prefix: `${store.prefix}${BACKUPS_DIR}` },
    Expiration: { Days: days.backups },
  }
  const put = (rules: LifecycleRule[]) =>
    store.client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: store.bucket,
        LifecycleConfiguration: { Rules: rules },
      }),
    )
  return await s3Call('set the bucket lifecycle', async () => {
    if (days.incompleteUploads !== undefined) {
      try {
        await put([
          expire,
          {
            ID: 'helpdesk-abandoned-uploads',
            Status: 'Enabled',
            Filter: { Prefix: store.prefix },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: days.incompleteUploads },
          },
        ])
        return days
      } catch (error) {
        if (!isRuleRejected(error)) throw error
      }
    }
    await put([expire])
    return { backups: days.backups }
  })
}
