// Uploads in tests: multipart forms, and what the app's storage holds (MinIO or a directory).
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { type S3Info, s3Client, testServices } from '@helpdesk/harness'
import type { Environment } from '../../src/config.ts'
import { externalEnvironment, type TestApp } from './app.ts'

/** A bucket store as the harness gives one: its own MinIO, or a private one a test starts. */
interface BucketStore extends S3Info {
  createBucket(prefix?: string): Promise<string>
}

/** Production shape: Postgres, Redis and a bucket of its own on `s3` (the harness's MinIO). */
export async function s3Environment(
  name = 'attachments',
  s3: BucketStore = testServices.s3(),
): Promise<Environment> {
  return {
    ...(await externalEnvironment()),
    S3_BUCKET: await s3.createBucket(name),
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }
}

/** Every stored object (and unfinished multipart upload) of the app's storage. */
export async function storedObjects(api: TestApp, environment: Environment): Promise<string[]> {
  if (environment.S3_BUCKET) {
    const client = s3Client(testServices.s3())
    try {
      const listing = await client.send(new ListObjectsV2Command({ Bucket: environment.S3_BUCKET }))
      const uploads = await client.send(
        new ListMultipartUploadsCommand({ Bucket: environment.S3_BUCKET }),
      )
      return [
        ...(listing.Contents ?? []).map((object) => object.Key as string),
        ...(uploads.Uploads ?? []).map((upload) => `upload:${upload.Key}`),
      ]
    } finally {
      client.destroy()
    }
  }
  const root = path.join(api.app.services.config.dataDir, 'attachments', 'objects')
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    )
  try {
    return walk(root).map((file) => path.relative(root, file))
  } catch {
    return []
  }
}

export function form(file: { name: string; type?: string; bytes: Buffer }, fields = {}): FormData {
  const body = new FormData()
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value))
  body.set(
    'file',
    new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }),
    file.name,
  )
  return body
}
