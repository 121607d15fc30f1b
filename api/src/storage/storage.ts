import { createHash } from 'node:crypto'
import { Transform } from 'node:stream'
import { HttpError } from '../errors.ts'

export interface PutOptions {
  contentType: string
  /** Larger bodies fail with payload_too_large and leave nothing behind. */
  maxBytes: number
}

export interface PutResult {
  size: number
  /** Hex SHA-256 of the bytes stored, computed while streaming. */
  sha256: string
}

export const STORAGE_KINDS = ['local', 's3'] as const
export type StorageKind = (typeof STORAGE_KINDS)[number]

export interface StoredObject {
  body: NodeJS.ReadableStream
  size: number
  contentType: string
}

/**
 * Attachment bytes. S3 in production, a directory in embedded mode; test/storage.test.ts runs
 * one contract against both. Bodies stream through: a file is never held in memory whole.
 */
export interface AttachmentStorage {
  /** `local`: a directory on this machine (embedded mode); `s3`: an S3 bucket. */
  readonly kind: StorageKind
  /** e.g. `s3://bucket` or `file:///data/attachments`, for logs and health output. */
  readonly location: string
  put(key: string, body: NodeJS.ReadableStream, options: PutOptions): Promise<PutResult>
  /** Throws not_found when the key does not exist. */
  get(key: string): Promise<StoredObject>
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>
  /** Resolves when the store can be read and written; rejects with the reason otherwise. */
  check(signal: AbortSignal): Promise<void>
  /** Releases connections; the store is unusable afterwards. */
  close(): void
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/

/** Keys are relative paths of safe segments: no `..`, no leading slash, no surprises. */
export function assertValidKey(key: string): void {
  if (key.length > 512 || !KEY.test(key)) {
    throw new Error(`invalid storage key ${JSON.stringify(key)}`)
  }
}

/** Counts and hashes bytes on their way through; fails once more than maxBytes passed. */
export function meter(maxBytes: number) {
  const hash = createHash('sha256')
  let size = 0
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length
      if (size > maxBytes) {
        callback(new HttpError('payload_too_large', { detail: `the limit is ${maxBytes} bytes` }))
        return
      }
      hash.update(chunk)
      callback(null, chunk)
    },
  })
  return { transform, result: (): PutResult => ({ size, sha256: hash.digest('hex') }) }
}

export function notFound(key: string): HttpError {
  return new HttpError('not_found', { detail: `no stored object ${key}` })
}
