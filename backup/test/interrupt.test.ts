// SIGTERM reaching a Job mid-way (the bin turns it into an abort): nothing half-done stays.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { s3Client, testServices } from '@helpdesk/harness'
import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Manifest } from '../src/manifest.ts'
import { addBulk, cli, databaseExists, databasesLike, type TestBed, testBed } from './fixture.ts'

let bed: TestBed
const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url))

/** Aborts as soon as `started()` holds, polling while `running` is unsettled. */
function abortWhen(
  started: () => Promise<boolean>,
  running: Promise<unknown>,
  controller: { abort(reason: Error): void },
) {
  let settled = false
  running.finally(() => {
    settled = true
  })
  return (async () => {
    while (!settled) {
      if (await started()) {
        controller.abort(new Error('received SIGTERM'))
        return true
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return false
  })()
}

async function bucketState() {
  const client = s3Client(testServices.s3())
  try {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bed.bucket }))
    const objects = await client.send(new ListObjectsV2Command({ Bucket: bed.bucket }))
    return { uploads: uploads.Uploads?.length ?? 0, objects: objects.Contents?.length ?? 0 }
  } finally {
    client.destroy()
  }
}

beforeAll(async () => {
  bed = await testBed()
  await addBulk(bed.databaseUrl, 40)
})

describe('an interrupted command', () => {
  it('backup: aborts the upload and removes what it wrote', async () => {
    const controller = new AbortController()
    const running = cli(['backup'], bed.env, { signal: controller.signal })
    const aborted = await abortWhen(
      async () => (await bucketState()).uploads > 0,
      running,
      controller,
    )
    const backup = await running
    expect(aborted).toBe(true)
    expect(backup.code).toBe(1)
    expect(backup.stderr).toMatch(/interrupted: received SIGTERM/)
    expect(await bucketState()).toEqual({ uploads: 0, objects: 0 })
  })

  it('the standalone bin turns SIGTERM into the same clean abort', async () => {
    const child = spawn(process.execPath, [BIN, 'backup'], { env: { ...process.env, ...bed.env } })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    const aborted = await abortWhen(async () => (await bucketState()).uploads > 0, exited, {
      abort: () => child.kill('SIGTERM'),
    })
    expect(aborted).toBe(true)
    expect(await exited).toBe(1)
    expect(stderr).toMatch(/interrupted: received SIGTERM/)
    expect(await bucketState()).toEqual({ uploads: 0, objects: 0 })
  })

  it('restore: drops the staging database and never creates the target', async () => {
    const manifest = (await cli(['backup'], bed.env)).json<Manifest>()
    const target = `interrupted_${Date.now()}`
    const controller = new AbortController()
    const running = cli(
      ['restore', '--backup', manifest.id, '--target-database', target],
      bed.env,
      {
        signal: controller.signal,
      },
    )
    const aborted = await abortWhen(
      async () => (await databasesLike(`${target}_restoring`)).length > 0,
      running,
      controller,
    )
    const restore = await running
    expect(aborted).toBe(true)
    expect(restore.code).toBe(1)
    expect(restore.stderr).toMatch(/interrupted/)
    expect(await databasesLike(target)).toEqual([])
    expect(await databaseExists(target)).toBe(false)
  })
})
