import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import type { S3Config } from '../config.ts'
import { HttpError } from '../errors.ts'
import {
  type AttachmentStorage,
  assertValidKey,
  meter,
  notFound,
  type PutOptions,
  type PutResult,
  type StoredObject,
} from './storage.ts'

/** Multipart uploads of 8 MiB parts, at most 2 in flight: bounded memory per upload. */
const PART_SIZE = 8 * 1024 * 1024

export class S3Storage implements AttachmentStorage {
  readonly kind = 's3'
  readonly location: string
  readonly #client: S3Client
  readonly #bucket: string

  constructor(config: S3Config) {
    this.#bucket = config.bucket
    this.location = `s3://${config.bucket}`
    this.#client = s3Client(config)
  }

  async put(key: string, body: NodeJS.ReadableStream, options: PutOptions): Promise<PutResult> {
    assertValidKey(key)
    const metered = meter(options.maxBytes)
    const passThrough = new PassThrough()
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: key,
        Body: passThrough,
        ContentType: options.contentType,
      },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    })
    // A failed upload stops reading; destroying the pipe stops the feeding side too.
    const uploading = upload.done().catch((error: unknown) => {
      passThrough.destroy(error as Error)
      throw error
    })
    const feeding = pipeline(body, metered.transform, passThrough)
    const [fed, uploaded] = await Promise.allSettled([feeding, uploading])
    if (fed.status === 'rejected' || uploaded.status === 'rejected') {
      // An oversized body must leave nothing: abort the multipart upload, or delete the
      // object if the last part had already been completed.
      await upload.abort().catch(() => {})
      if (uploaded.status === 'fulfilled') await this.delete(key)
      throw firstCause(fed, uploaded)
    }
    return metered.result()
  }

  async get(key: string): Promise<StoredObject> {
    assertValidKey(key)
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
      )
      return {
        body: object.Body as NodeJS.ReadableStream,
        size: object.ContentLength ?? 0,
        contentType: object.ContentType ?? 'application/octet-stream',
      }
    } catch (error) {
      if (error instanceof NoSuchKey) throw notFound(key)
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key)
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }))
  }

  async check(signal: AbortSignal): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }), {
      abortSignal: signal,
    })
  }

  close(): void {
    this.#client.destroy()
  }
}

function s3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    requestHandler: { connectionTimeout: 3_000 },
  })
}

/**
 * Creates the configured bucket unless it exists (for a store we run ourselves, such as the
 * chart's MinIO); true when it was created. Safe to run from several Jobs at once.
 */
export async function createBucket(config: S3Config): Promise<boolean> {
  const client = s3Client(config)
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }))
    return false
  } catch (error) {
    const missing = error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404
    if (!missing) throw error
    await client.send(new CreateBucketCommand({ Bucket: config.bucket })).catch((failure) => {
      // Another Job created it meanwhile.
      if (!(failure instanceof BucketAlreadyOwnedByYou)) throw failure
    })
    return true
  } finally {
    client.destroy()
  }
}

/** The body's own error (e.g. too large) explains more than the upload it broke. */
function firstCause(fed: PromiseSettledResult<void>, uploaded: PromiseSettledResult<unknown>) {
  if (fed.status === 'rejected' && fed.reason instanceof HttpError) return fed.reason
  if (uploaded.status === 'rejected') return uploaded.reason
  return (fed as PromiseRejectedResult).reason
}
