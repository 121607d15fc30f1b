// The seed's file backups: attachment objects copied incrementally and encrypted, restored
// on request, and their blobs collected once no backup refers to them.
import { randomBytes } from 'node:crypto'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import { s3Client, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Environment } from '../src/config.ts'
import type { Manifest } from '../src/manifest.ts'
import type { PrunePlan } from '../src/prune.ts'
import type { RestoreResult } from '../src/restore.ts'
import { cli, type TestBed, testBed } from './fixture.ts'

let client: S3Client
let bed: TestBed
let attachments: string

const withAttachments = (bucket: string): Environment => {
  const s3 = testServices.s3()
  return {
    ...bed.env,
    S3_BUCKET: bucket,
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }
}

async function bucketContents(bucket: string): Promise<Record<string, string>> {
  const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
  const result: Record<string, string> = {}
  for (const { Key } of listing.Contents ?? []) {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }))
    const bytes = await (
      object.Body as { transformToByteArray(): Promise<Uint8Array> }
    ).transformToByteArray()
    result[Key as string] = Buffer.from(bytes).toString('base64')
  }
  return result
}

const put = (bucket: string, key: string, body: Buffer | string) =>
  client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))
const remove = (bucket: string, key: string) =>
  client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))

beforeAll(async () => {
  client = s3Client(testServices.s3())
  bed = await testBed()
  attachments = await testServices.s3().createBucket('attachments')
  await put(attachments, 'tickets/1/screenshot.png', randomBytes(70_000))
  await put(attachments, 'tickets/1/notes – ünïcødé.txt', 'the customer wrote this')
  await put(attachments, 'tickets/2/empty.txt', Buffer.alloc(0))
  // Larger than one of the engine's upload parts.
  await put(attachments, 'tickets/3/archive.zip', randomBytes(9 * 1024 * 1024))
})

afterAll(() => client.destroy())

describe('attachment backups', () => {
  let first: Manifest
  let second: Manifest
  let atFirst: Record<string, string>
  let atSecond: Record<string, string>

  it('copies every object the first time, encrypted', async () => {
    atFirst = await bucketContents(attachments)
    const backup = await cli(['backup', '--tier', 'daily'], withAttachments(attachments))
    expect(backup.code).toBe(0)
    first = backup.json<Manifest>()
    expect(first.attachments).toMatchObject({
      objects: 4,
      copiedObjects: 4,
      bytes: 70_000 + 23 + 9 * 1024 * 1024,
    })
    const stored = await bucketContents(bed.bucket)
    const blobs = Object.keys(stored).filter((key) => key.startsWith('helpdesk/attachments/'))
    expect(blobs).toHaveLength(4)
    const bodies = Object.values(stored).map((body) => Buffer.from(body, 'base64'))
    expect(bodies.some((body) => body.includes('the customer wrote this'))).toBe(false)
  })

  it('copies only new and changed objects the next time', async () => {
    await put(attachments, 'tickets/1/notes – ünïcødé.txt', 'the customer changed this')
    await put(attachments, 'tickets/4/new.pdf', randomBytes(1000))
    await remove(attachments, 'tickets/2/empty.txt')
    atSecond = await bucketContents(attachments)
    const backup = await cli(['backup', '--tier', 'daily'], withAttachments(attachments))
    second = backup.json<Manifest>()
    expect(second.attachments).toMatchObject({
      objects: 4,
      copiedObjects: 2,
      copiedBytes: 25 + 1000,
    })
  })

  it('skips them when asked to', async () => {
    const backup = await cli(['backup', '--no-attachments'], withAttachments(attachments))
    expect(backup.json<Manifest>().attachments).toBeNull()
  })

  it('restores the objects of the backup asked for', async () => {
    for (const key of Object.keys(atSecond)) await remove(attachments, key)
    await put(attachments, 'tickets/9/uploaded-after-the-disaster.txt', 'keep me')
    const restore = await cli(
      [
        'restore',
        '--backup',
        second.id,
        '--target-database',
        `files_${Date.now()}`,
        '--attachments',
      ],
      withAttachments(attachments),
    )
    expect(restore.code).toBe(0)
    expect(restore.json<RestoreResult>().attachmentsRestored).toBe(4)
    expect(await bucketContents(attachments)).toEqual({
      ...atSecond,
      'tickets/9/uploaded-after-the-disaster.txt': Buffer.from('keep me').toString('base64'),
    })

    const elsewhere = await testServices.s3().createBucket('older')
    const older = await cli(
      [
        'restore',
        '--backup',
        first.id,
        '--target-database',
        `files_${Date.now()}`,
        '--attachments',
      ],
      withAttachments(elsewhere),
    )
    expect(older.code).toBe(0)
    expect(await bucketContents(elsewhere)).toEqual(atFirst)
  })

  it('collects the blobs only pruned backups referred to', async () => {
    const env = withAttachments(attachments)
    const later = () => new Date(Date.now() + 2 * 86_400_000)
    const prune = await cli(['prune', '--daily', '1', '--monthly', '0'], env, { now: later })
    const plan = prune.json<PrunePlan>()
    expect(plan.remove.map(({ id }) => id)).toEqual([first.id])
    // The old version of the changed file and the deleted empty file.
    expect(plan.removeBlobs).toBe(2)
    const blobs = Object.keys(await bucketContents(bed.bucket)).filter((key) =>
      key.startsWith('helpdesk/attachments/'),
    )
    expect(blobs).toHaveLength(4)

    const fresh = await testServices.s3().createBucket('after-prune')
    const restore = await cli(
      [
        'restore',
        '--backup',
        second.id,
        '--target-database',
        `files_${Date.now()}`,
        '--attachments',
      ],
      withAttachments(fresh),
    )
    expect(restore.code).toBe(0)
    expect(await bucketContents(fresh)).toEqual(atSecond)
  })
})
