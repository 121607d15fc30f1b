// S3 failing in the middle of a backup, for real: a private MinIO behind a small proxy
// that breaks part uploads, or that stops MinIO itself once the upload has begun.
import { createServer, type IncomingMessage, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { createBucket, type MinioServer, s3Client, startMinio } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { addBulk, cli, type TestBed, testBed } from './fixture.ts'

let minio: MinioServer
let bed: TestBed

/** Forwards requests to MinIO unchanged, except those `intercept` handles itself. */
async function proxy(intercept: (incoming: IncomingMessage) => Promise<'forward' | 'break'>) {
  const server: Server = createServer(async (incoming, outgoing) => {
    if ((await intercept(incoming)) === 'break') {
      incoming.socket.destroy()
      return
    }
    // Expect is never signed; MinIO gets the body straight away.
    const { expect: _expect, ...headers } = incoming.headers
    const upstream = request(
      `${minio.endpoint}${incoming.url}`,
      { method: incoming.method, headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(outgoing)
      },
    )
    upstream.on('error', () => incoming.socket.destroy())
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const partNumber = (incoming: IncomingMessage) =>
  Number(new URL(incoming.url ?? '/', 'http://proxy').searchParams.get('partNumber') ?? 0)

async function leftovers(bucket: string) {
  const client = s3Client(minio)
  try {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))
    const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
    return {
      uploads: uploads.Uploads?.length ?? 0,
      objects: (objects.Contents ?? []).map((object) => object.Key),
    }
  } finally {
    client.destroy()
  }
}

function envThrough(endpoint: string, bucket: string) {
  return {
    ...bed.env,
    BACKUP_S3_BUCKET: bucket,
    BACKUP_S3_ENDPOINT: endpoint,
    BACKUP_S3_ACCESS_KEY_ID: minio.accessKeyId,
    BACKUP_S3_SECRET_ACCESS_KEY: minio.secretAccessKey,
  }
}

beforeAll(async () => {
  minio = await startMinio()
  bed = await testBed()
  // Enough incompressible rows for a dump of several 8 MiB parts.
  await addBulk(bed.databaseUrl, 24)
})

afterAll(async () => {
  await minio?.stop()
})

describe('S3 failing during a backup', () => {
  it('aborts the multipart upload and leaves nothing that looks like a backup', async () => {
    const bucket = await createBucket(minio, 'broken-parts')
    let broken = 0
    const faulty = await proxy(async (incoming) => {
      if (incoming.method === 'PUT' && partNumber(incoming) >= 2) {
        broken += 1
        return 'break'
      }
      return 'forward'
    })
    try {
      const backup = await cli(['backup'], envThrough(faulty.endpoint, bucket))
      expect(backup.stderr).toMatch(/S3: upload of helpdesk\/backups\/.+\/database\.hdbk failed/)
      expect(backup.code).toBe(9)
      expect(broken).toBeGreaterThan(0)
      expect(await leftovers(bucket)).toEqual({ uploads: 0, objects: [] })
      const list = await cli(['list'], envThrough(minio.endpoint, bucket))
      expect(list.json()).toEqual([])
      const restore = await cli(
        ['restore', '--target-database', 'nothing_here'],
        envThrough(minio.endpoint, bucket),
      )
      expect(restore.code).toBe(3)
    } finally {
      await faulty.close()
    }
  })

  it('fails cleanly when MinIO stops mid-upload', async () => {
    const bucket = await createBucket(minio, 'minio-down')
    let stopped = false
    const stopping = await proxy(async (incoming) => {
      if (!stopped && incoming.method === 'PUT' && partNumber(incoming) >= 1) {
        stopped = true
        await minio.down()
      }
      return 'forward'
    })
    try {
      const backup = await cli(['backup'], envThrough(stopping.endpoint, bucket))
      expect(stopped).toBe(true)
      expect(backup.code).toBe(9)
      expect(backup.stderr).toMatch(/S3: upload of .+ failed/)
    } finally {
      await stopping.close()
      await minio.up()
    }
    const env = envThrough(minio.endpoint, bucket)
    expect((await leftovers(bucket)).objects).toEqual([])
    expect((await cli(['list'], env)).json()).toEqual([])
  })

  it('leaves an upload it cannot abort to prune when S3 becomes unreachable', async () => {
    const bucket = await createBucket(minio, 'partition')
    let partitioned = false
    const network = await proxy(async (incoming) => {
      if (incoming.method === 'PUT' && partNumber(incoming) >= 1) partitioned = true
      return partitioned ? 'break' : 'forward'
    })
    try {
      const backup = await cli(['backup'], envThrough(network.endpoint, bucket))
      expect(backup.code).toBe(9)
      expect(backup.stderr).toMatch(/could not abort the upload/)
    } finally {
      await network.close()
    }
    const env = envThrough(minio.endpoint, bucket)
    expect(await leftovers(bucket)).toEqual({ uploads: 1, objects: [] })
    expect((await cli(['list'], env)).json()).toEqual([])
    const recent = await cli(['prune'], env)
    expect(recent.json()).toMatchObject({ abortedUploads: 0, remove: [], removeIncomplete: [] })
    expect((await leftovers(bucket)).uploads).toBe(1)
    const stale = await cli(['prune', '--stale-hours', '0'], env)
    expect(stale.json()).toMatchObject({ abortedUploads: 1 })
    expect(await leftovers(bucket)).toEqual({ uploads: 0, objects: [] })
  })
})
