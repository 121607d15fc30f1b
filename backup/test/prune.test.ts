import {
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { s3Client, testServices } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import type { ListedBackup } from '../src/list.ts'
import type { Manifest, Tier } from '../src/manifest.ts'
import type { PrunePlan } from '../src/prune.ts'
import { cli, type TestBed, testBed } from './fixture.ts'

const NOW = new Date('2026-11-28T00:00:00Z')
const DAY = 86_400_000
const at = (daysAgo: number) => () => new Date(NOW.getTime() - daysAgo * DAY)

async function backupAt(bed: TestBed, daysAgo: number, tier: Tier): Promise<string> {
  const backup = await cli(['backup', '--tier', tier], bed.env, { now: at(daysAgo) })
  expect(backup.code).toBe(0)
  return backup.json<Manifest>().id
}

const listedIds = async (bed: TestBed) =>
  (await cli(['list'], bed.env)).json<ListedBackup[]>().map(({ id }) => id)

async function putObject(bed: TestBed, key: string, body: string) {
  const client = s3Client(testServices.s3())
  await client.send(new PutObjectCommand({ Bucket: bed.bucket, Key: key, Body: body }))
  client.destroy()
}

describe('prune', () => {
  it('plans with --dry-run and then deletes exactly what the GFS policy does not keep', async () => {
    const bed = await testBed()
    const ids = {
      // 2025-10-24: older than the 2 months kept.
      ancient: await backupAt(bed, 400, 'monthly'),
      manual: await backupAt(bed, 100, 'manual'),
      oct19: await backupAt(bed, 40, 'daily'),
      oct24: await backupAt(bed, 35, 'daily'),
      nov26: await backupAt(bed, 2, 'daily'),
      nov27: await backupAt(bed, 1, 'daily'),
      nov28: await backupAt(bed, 0, 'daily'),
    }
    const policy = ['--daily', '2', '--monthly', '2']
    const dryRun = await cli(['prune', ...policy, '--dry-run'], bed.env, { now: at(0) })
    expect(dryRun.code).toBe(0)
    const plan = dryRun.json<PrunePlan>()
    expect(plan.keep).toEqual([
      { id: ids.nov28, tier: 'daily', reasons: ['daily', 'monthly', 'newest', 'newest-good'] },
      { id: ids.nov27, tier: 'daily', reasons: ['daily'] },
      { id: ids.oct24, tier: 'daily', reasons: ['monthly'] },
      { id: ids.manual, tier: 'manual', reasons: ['manual'] },
    ])
    expect(plan.remove.map(({ id }) => id)).toEqual([ids.nov26, ids.oct19, ids.ancient])
    expect(await listedIds(bed)).toHaveLength(7)

    const prune = await cli(['prune', ...policy], bed.env, { now: at(0) })
    expect(prune.json<PrunePlan>().remove).toEqual(plan.remove)
    expect(await listedIds(bed)).toEqual([ids.nov28, ids.nov27, ids.oct24, ids.manual])

    const manualToo = await cli(['prune', ...policy, '--manual-max-age-days', '90'], bed.env, {
      now: at(0),
    })
    expect(manualToo.json<PrunePlan>().remove.map(({ id }) => id)).toEqual([ids.manual])
    expect(await listedIds(bed)).toEqual([ids.nov28, ids.nov27, ids.oct24])
  })

  it('never deletes the newest good backup, whatever the policy', async () => {
    const bed = await testBed()
    const good = await backupAt(bed, 3, 'daily')
    const tampered = await backupAt(bed, 2, 'daily')
    const unreadable = await backupAt(bed, 1, 'daily')
    const manifestKey = (id: string) => `helpdesk/backups/${id}/manifest.json`
    const client = s3Client(testServices.s3())
    const original = await client.send(
      new GetObjectCommand({ Bucket: bed.bucket, Key: manifestKey(tampered) }),
    )
    const text = await (
      original.Body as { transformToString(): Promise<string> }
    ).transformToString()
    client.destroy()
    await putObject(bed, manifestKey(tampered), text.replace('"rows": 200', '"rows": 2000'))
    await putObject(bed, manifestKey(unreadable), '{"manifest": {"formatVersion": 1}}')
    const listed = (await cli(['list'], bed.env)).json<ListedBackup[]>()
    expect(listed.map(({ status }) => status)).toEqual(['invalid', 'invalid', 'good'])

    const prune = await cli(['prune', '--daily', '0', '--monthly', '0'], bed.env, { now: at(0) })
    const plan = prune.json<PrunePlan>()
    expect(plan.keep).toEqual([
      { id: tampered, tier: 'daily', reasons: ['newest'] },
      { id: good, tier: 'daily', reasons: ['newest-good'] },
    ])
    expect(plan.unreadable).toEqual([
      { id: unreadable, problem: expect.stringMatching(/not a backup manifest/) },
    ])
    expect(await listedIds(bed)).toEqual([unreadable, tampered, good])
  })

  it('removes leftovers of failed runs only once they are stale', async () => {
    const bed = await testBed()
    const kept = await backupAt(bed, 0, 'daily')
    await putObject(bed, 'helpdesk/backups/20261120T000000Z-0badf00d/database.hdbk', 'half a dump')
    const fresh = await cli(['prune'], bed.env)
    expect(fresh.json<PrunePlan>()).toMatchObject({ removeIncomplete: [], removeBlobs: 0 })
    expect(await listedIds(bed)).toEqual([kept, '20261120T000000Z-0badf00d'])

    const later = () => new Date(Date.now() + 2 * DAY)
    const stale = await cli(['prune'], bed.env, { now: later })
    expect(stale.json<PrunePlan>().removeIncomplete).toEqual(['20261120T000000Z-0badf00d'])
    expect(await listedIds(bed)).toEqual([kept])
  })
})

describe('a bucket that is the install’s own', () => {
  it('gets lifecycle rules that never remove what the policy keeps (BACKUP_S3_MANAGE_LIFECYCLE)', async () => {
    const bed = await testBed()
    const env = { ...bed.env, BACKUP_S3_MANAGE_LIFECYCLE: 'true' }
    await backupAt({ ...bed, env }, 0, 'daily')
    const prune = await cli(['prune', '--daily', '30', '--monthly', '12'], env, { now: at(0) })
    expect(prune.stderr).toBe('')
    expect(prune.code).toBe(0)
    // MinIO keeps no AbortIncompleteMultipartUpload rule (it drops stale uploads itself, and
    // prune aborts them too): the expiry rule alone is set, and the plan says so.
    expect(prune.json<PrunePlan>().lifecycle).toEqual({ backups: 403 })
    const client = s3Client(testServices.s3())
    const lifecycle = await client.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: bed.bucket }),
    )
    client.destroy()
    expect(lifecycle.Rules).toEqual([
      expect.objectContaining({
        ID: 'helpdesk-backups-expire',
        Filter: { Prefix: 'helpdesk/backups/' },
        Expiration: expect.objectContaining({ Days: 403 }),
      }),
    ])
    const dryRun = await cli(['prune', '--dry-run', '--daily', '30', '--monthly', '12'], env, {
      now: at(0),
    })
    // What prune asks for: the abort rule at the stale age, rounded up to days.
    expect(dryRun.json<PrunePlan>().lifecycle).toEqual({ backups: 403, incompleteUploads: 2 })
  })

  it('stores every object with server-side encryption (BACKUP_S3_SERVER_SIDE_ENCRYPTION)', async () => {
    const bed = await testBed()
    const env = { ...bed.env, BACKUP_S3_SERVER_SIDE_ENCRYPTION: 'AES256' }
    await backupAt({ ...bed, env }, 0, 'daily')
    const client = s3Client(testServices.s3())
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: bed.bucket, Prefix: 'helpdesk/' }),
    )
    const keys = (listed.Contents ?? []).map((object) => object.Key as string)
    expect(keys.length).toBeGreaterThanOrEqual(2)
    for (const key of keys) {
      const head = await client.send(new HeadObjectCommand({ Bucket: bed.bucket, Key: key }))
      expect([key, head.ServerSideEncryption]).toEqual([key, 'AES256'])
    }
    client.destroy()
  })
})
