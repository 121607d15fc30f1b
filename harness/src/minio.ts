import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import { freePort, logFile, randomSecret, serviceDir, uniqueId } from './session.ts'
import { toolPath } from './tools.ts'

/** What an S3 client needs; JSON-safe so it can cross into test workers. */
export interface S3Info {
  endpoint: string
  region: string
  accessKeyId: string
  secretAccessKey: string
}

export interface MinioServer extends S3Info, ManagedService {
  /** Creates a uniquely named, empty bucket and returns its name. */
  createBucket(prefix?: string): Promise<string>
}

export interface MinioOptions {
  /** @default a free port */
  port?: number
}

/** A private MinIO (S3) server on 127.0.0.1 storing into a temporary directory. */
export async function startMinio(options: MinioOptions = {}): Promise<MinioServer> {
  const dir = serviceDir('minio')
  const port = options.port ?? (await freePort())
  const consolePort = await freePort()
  const info: S3Info = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: `harness${uniqueId()}`,
    secretAccessKey: randomSecret(),
  }
  const service = await manage('minio', dir, async () => {
    const child = supervise({
      name: 'minio',
      command: toolPath('minio'),
      args: [
        'server',
        dir,
        '--address',
        `127.0.0.1:${port}`,
        '--console-address',
        `127.0.0.1:${consolePort}`,
        '--quiet',
      ],
      env: {
        ...process.env,
        MINIO_ROOT_USER: info.accessKeyId,
        MINIO_ROOT_PASSWORD: info.secretAccessKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
        MINIO_REGION: info.region,
        // A built-in single-key KMS: enough for server-side encryption (SSE-S3) requests,
        // which MinIO refuses without one. Objects are only encrypted when a request asks.
        MINIO_KMS_SECRET_KEY: 'helpdesk-test:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=',
      } as Record<string, string>,
      log: logFile('minio'),
    })
    await waitUntilReady(child, async () => {
      const response = await fetch(`${info.endpoint}/minio/health/ready`)
      return response.ok
    })
    return child
  })
  return { ...info, ...service, createBucket: (prefix) => createBucket(info, prefix) }
}

export function s3Client(info: S3Info): S3Client {
  return new S3Client({
    endpoint: info.endpoint,
    region: info.region,
    forcePathStyle: true,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
  })
}

export async function createBucket(info: S3Info, prefix = 'test'): Promise<string> {
  const bucket = `${prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${uniqueId()}`
  const client = s3Client(info)
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
  } finally {
    client.destroy()
  }
  return bucket
}

/** Deletes every object (and version) in a bucket, then the bucket. */
export async function deleteBucket(info: S3Info, bucket: string): Promise<void> {
  const client = s3Client(info)
  try {
    for (;;) {
      const listing = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }))
      const objects = [...(listing.Versions ?? []), ...(listing.DeleteMarkers ?? [])].map(
        ({ Key, VersionId }) => ({ Key, VersionId }),
      )
      if (objects.length === 0) break
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }))
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }))
  } finally {
    client.destroy()
  }
}
