// One contract, both attachment stores: S3 (the harness's MinIO) and a local directory.
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { s3Client, serviceDir, testServices } from '@helpdesk/harness'
import { afterAll, describe, expect, it } from '@jest/globals'
import { LocalDirectoryStorage } from '../src/storage/local.ts'
import { S3Storage } from '../src/storage/s3.ts'
import type { AttachmentStorage } from '../src/storage/storage.ts'

const s3 = testServices.s3()
const bucket = await s3.createBucket('attachments')
const localRoot = serviceDir('attachments')
const admin = s3Client(s3)
afterAll(() => admin.destroy())

const stores: [string, AttachmentStorage, () => Promise<string[]>][] = [
  [
    's3',
    new S3Storage({
      bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }),
    async () => {
      const listing = await admin.send(new ListObjectsV2Command({ Bucket: bucket }))
      const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: bucket }))
      return [
        ...(listing.Contents ?? []).map((object) => object.Key as string),
        ...(uploads.Uploads ?? []).map((upload) => `upload:${upload.Key}`),
      ]
    },
  ],
  [
    'local',
    new LocalDirectoryStorage(localRoot),
    async () => {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
        )
      return walk(path.join(localRoot, 'objects')).map((file) =>
        path.relative(path.join(localRoot, 'objects'), file),
      )
    },
  ],
]

/** A generated body of `size` bytes, produced in chunks as an upload would arrive. */
function generated(size: number, chunk = 256 * 1024) {
  const hash = createHash('sha256')
  const parts: Buffer[] = []
  for (let left = size; left > 0; left -= chunk) {
    const part = randomBytes(Math.min(chunk, left))
    hash.update(part)
    parts.push(part)
  }
  return { stream: Readable.from(parts), sha256: hash.digest('hex') }
}

describe.each(stores)('%s attachment storage', (_name, storage, storedKeys) => {
  afterAll(() => storage.close())

  it('stores a stream and reports its size and sha256', async () => {
    const body = generated(1000)
    const result = await storage.put('tickets/1/a.bin', body.stream, {
      contentType: 'application/pdf',
      maxBytes: 10_000,
    })
    expect(result).toEqual({ size: 1000, sha256: body.sha256 })
    const object = await storage.get('tickets/1/a.bin')
    expect(object.size).toBe(1000)
    expect(object.contentType).toBe('application/pdf')
    const read = createHash('sha256')
    for await (const chunk of object.body) read.update(chunk as Buffer)
    expect(read.digest('hex')).toBe(body.sha256)
  })

  it('streams a body larger than one multipart part', async () => {
    const body = generated(12 * 1024 * 1024)
    const result = await storage.put('tickets/2/big.bin', body.stream, {
      contentType: 'application/octet-stream',
      maxBytes: 20 * 1024 * 1024,
    })
    expect(result).toEqual({ size: 12 * 1024 * 1024, sha256: body.sha256 })
    expect((await storage.get('tickets/2/big.bin')).size).toBe(12 * 1024 * 1024)
  })

  it('refuses a body above the limit and leaves nothing behind', async () => {
    const before = await storedKeys()
    for (const size of [2_000, 9 * 1024 * 1024]) {
      await expect(
        storage.put(`tickets/3/too-big-${size}.bin`, generated(size).stream, {
          contentType: 'text/plain',
          maxBytes: size - 1,
        }),
      ).rejects.toMatchObject({ type: 'payload_too_large', status: 413 })
    }
    expect(await storedKeys()).toEqual(before)
  })

  it('replaces an object under the same key', async () => {
    await storage.put('tickets/4/note.txt', Readable.from(['first']), {
      contentType: 'text/plain',
      maxBytes: 100,
    })
    await storage.put('tickets/4/note.txt', Readable.from(['second']), {
      contentType: 'text/markdown',
      maxBytes: 100,
    })
    const object = await storage.get('tickets/4/note.txt')
    expect(await text(object.body as NodeJS.ReadableStream & AsyncIterable<Buffer>)).toBe('second')
    expect(object.contentType).toBe('text/markdown')
  })

  it('deletes idempotently; a missing key is not_found', async () => {
    await storage.put('tickets/5/x.txt', Readable.from(['x']), {
      contentType: 'text/plain',
      maxBytes: 10,
    })
    await storage.delete('tickets/5/x.txt')
    await storage.delete('tickets/5/x.txt')
    await expect(storage.get('tickets/5/x.txt')).rejects.toMatchObject({ type: 'not_found' })
  })

  it.each(['../escape', '/absolute', 'a//b', 'tickets/../../etc/passwd', '', 'a/.hidden'])(
    'rejects the unsafe key %j',
    async (key) => {
      await expect(
        storage.put(key, Readable.from(['x']), { contentType: 'text/plain', maxBytes: 10 }),
      ).rejects.toThrow('invalid storage key')
      await expect(storage.get(key)).rejects.toThrow('invalid storage key')
    },
  )

  it('passes its health check', async () => {
    await expect(storage.check(AbortSignal.timeout(2_000))).resolves.toBeUndefined()
  })
})

describe('S3 health check', () => {
  it('fails for a bucket that does not exist', async () => {
    const missing = new S3Storage({
      bucket: `missing-${Date.now()}`,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    })
    await expect(missing.check(AbortSignal.timeout(2_000))).rejects.toThrow()
    missing.close()
  })
})
