// Damaged, tampered, mismatched or missing backups: a clear error, its own exit code, and
// the target database untouched (for a new database: never created; in place: unchanged).
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { s3Client, testServices } from '@helpdesk/harness'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createKeyring } from '../src/keyring.ts'
import { type Manifest, sealManifest } from '../src/manifest.ts'
import {
  cli,
  contents,
  type DatabaseContents,
  databaseExists,
  databasesLike,
  newKey,
  scratchPrefix,
  type TestBed,
  testBed,
  writeKeyring,
} from './fixture.ts'

let bed: TestBed
let manifest: Manifest
let original: DatabaseContents
const s3 = () => s3Client(testServices.s3())
const dumpKey = () => `helpdesk/${manifest.dump.key}`
const manifestKey = (id = manifest.id) => `helpdesk/backups/${id}/manifest.json`

async function getObject(key: string): Promise<Buffer> {
  const client = s3()
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bed.bucket, Key: key }))
    return Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    )
  } finally {
    client.destroy()
  }
}

async function putObject(key: string, body: Buffer | string): Promise<void> {
  const client = s3()
  try {
    await client.send(new PutObjectCommand({ Bucket: bed.bucket, Key: key, Body: body }))
  } finally {
    client.destroy()
  }
}

/** Runs `damage`, checks both restore modes fail as expected, then undoes it. */
async function expectRestoreRefused(
  damage: () => Promise<() => Promise<void>>,
  exitCode: number,
  message: RegExp,
  env = bed.env,
): Promise<void> {
  const undo = await damage()
  try {
    const target = `never_${Math.random().toString(36).slice(2, 8)}`
    const intoNew = await cli(
      ['restore', '--backup', manifest.id, '--target-database', target],
      env,
    )
    expect(intoNew.stderr).toMatch(message)
    expect(intoNew.code).toBe(exitCode)
    expect(await databaseExists(target)).toBe(false)
    expect(await databasesLike(target)).toEqual([])

    const inPlace = await cli(
      ['restore', '--backup', manifest.id, '--in-place', '--confirm', bed.database],
      env,
    )
    expect(inPlace.code).toBe(exitCode)
    expect(await contents(bed.databaseUrl)).toEqual(original)
    expect(await databasesLike(`${bed.database}_`)).toEqual([])

    const verify = await cli(['verify', '--backup', manifest.id], env)
    expect(verify.code).toBe(exitCode)
    expect(await databasesLike(scratchPrefix(manifest.id))).toEqual([])
  } finally {
    await undo()
  }
}

/** Replaces the dump object with `change(original bytes)`; returns the undo. */
function changeDump(change: (bytes: Buffer) => Buffer) {
  return async () => {
    const bytes = await getObject(dumpKey())
    await putObject(dumpKey(), change(Buffer.from(bytes)))
    return () => putObject(dumpKey(), bytes)
  }
}

beforeAll(async () => {
  bed = await testBed()
  const backup = await cli(['backup'], bed.env)
  expect(backup.code).toBe(0)
  manifest = backup.json<Manifest>()
  original = await contents(bed.databaseUrl)
})

describe('restore refuses a damaged backup and leaves the target untouched', () => {
  it('a byte changed in the middle of the dump', async () => {
    await expectRestoreRefused(
      changeDump((bytes) => {
        const middle = Math.floor(bytes.length / 2)
        bytes[middle] = (bytes[middle] as number) ^ 0x01
        return bytes
      }),
      4,
      /failed authentication: the object was modified or damaged/,
    )
  })

  it('a byte changed in the last chunk, after pg_restore has seen most of the data', async () => {
    await expectRestoreRefused(
      changeDump((bytes) => {
        bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0x80
        return bytes
      }),
      4,
      /failed authentication/,
    )
  })

  it('a truncated dump', async () => {
    await expectRestoreRefused(
      changeDump((bytes) => bytes.subarray(0, bytes.length - 1000)),
      4,
      /truncated|failed authentication/,
    )
  })

  it('the dump of another backup put in its place', async () => {
    const other = await cli(['backup'], bed.env)
    const otherDump = `helpdesk/${other.json<Manifest>().dump.key}`
    await expectRestoreRefused(
      async () => {
        const bytes = await getObject(dumpKey())
        await putObject(dumpKey(), await getObject(otherDump))
        return () => putObject(dumpKey(), bytes)
      },
      4,
      /swapped or renamed/,
    )
  })

  it('a missing manifest', async () => {
    await expectRestoreRefused(
      async () => {
        const text = await getObject(manifestKey())
        const client = s3()
        await client.send(new DeleteObjectCommand({ Bucket: bed.bucket, Key: manifestKey() }))
        client.destroy()
        return () => putObject(manifestKey(), text)
      },
      3,
      /has no manifest/,
    )
  })

  it('a manifest whose figures were edited', async () => {
    await expectRestoreRefused(
      async () => {
        const text = (await getObject(manifestKey())).toString()
        await putObject(manifestKey(), text.replace('"rows": 200', '"rows": 201'))
        return () => putObject(manifestKey(), text)
      },
      4,
      /manifest failed authentication/,
    )
  })

  it('a manifest that authenticates but describes other bytes', async () => {
    // As if the manifest had been written by a buggy engine: signed, but wrong.
    const keyring = createKeyring(new Map(Object.entries(bed.keys)))
    await expectRestoreRefused(
      async () => {
        const text = (await getObject(manifestKey())).toString()
        const lying = { ...manifest, dump: { ...manifest.dump, plaintextSha256: '0'.repeat(64) } }
        await putObject(manifestKey(), sealManifest(lying, keyring))
        return () => putObject(manifestKey(), text)
      },
      4,
      /does not match the manifest/,
    )
  })

  it('a keyring without the key the backup was made with', async () => {
    const env = { ...bed.env, BACKUP_KEYRING_DIR: writeKeyring({ '2027-01-01': newKey() }) }
    await expectRestoreRefused(
      async () => async () => {},
      5,
      /key '2026-01-01' is not in the keyring \(it holds '2027-01-01'\)/,
      env,
    )
  })

  it('a keyring whose key under the same id is a different key', async () => {
    const env = { ...bed.env, BACKUP_KEYRING_DIR: writeKeyring({ '2026-01-01': newKey() }) }
    await expectRestoreRefused(async () => async () => {}, 4, /manifest failed authentication/, env)
  })

  it('still restores once the damage is undone', async () => {
    const target = `healthy_${Math.random().toString(36).slice(2, 8)}`
    const restore = await cli(
      ['restore', '--backup', manifest.id, '--target-database', target],
      bed.env,
    )
    expect(restore.code).toBe(0)
    expect(await contents(testServices.postgres().url(target))).toEqual(original)
  })
})

describe('a backup id that does not exist', () => {
  it('is a not-found error', async () => {
    const restore = await cli(
      ['restore', '--backup', '20200101T000000Z-deadbeef', '--target-database', 'x'],
      bed.env,
    )
    expect(restore.code).toBe(3)
    expect(restore.stderr).toMatch(/backup 20200101T000000Z-deadbeef has no manifest/)
  })
})
