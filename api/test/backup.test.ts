// `helpdesk backup|verify|restore|list` as real processes on the application's own schema:
// the engine from @helpdesk/backup run with this API's migrations and key tables, against
// the harness's Postgres and MinIO.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir, testServices } from '@helpdesk/harness'
import { beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { totpContext } from '../src/accounts/mfa.ts'
import { databaseSchemaStatus, migrateDatabase } from '../src/db/database.ts'
import { openAppKeys } from '../src/encryption/app-keys.ts'
import { runHelpdesk } from './support/process.ts'

const KEY_TABLES = ['users', 'teams', 'tickets', 'messages', 'attachments', 'audit_events']

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows as Row[]
  } finally {
    await client.end()
  }
}

/** What a restore must bring back: row counts and the audit log's append-only trigger. */
async function facts(url: string) {
  const [counts] = await query<Record<string, string>>(
    url,
    `select ${KEY_TABLES.map((table) => `(select count(*) from ${table}) as ${table}`).join(', ')}`,
  )
  const triggers = await query<{ tgname: string }>(
    url,
    `select tgname from pg_trigger
     where tgrelid = 'audit_events'::regclass and not tgisinternal order by tgname`,
  )
  return { counts, triggers: triggers.map((row) => row.tgname) }
}

describe('helpdesk backup, verify, restore and list', () => {
  let url: string
  let environment: Record<string, string>

  beforeAll(async () => {
    url = await testServices.postgres().createDatabase('backup_drill')
    await migrateDatabase(url)
    const seeded = await runHelpdesk(['seed', '--tickets', '200', '--seed', '3'], {
      DATABASE_URL: url,
    })
    expect(seeded.code).toBe(0)
    const s3 = testServices.s3()
    const keyring = serviceDir('keyring')
    writeFileSync(path.join(keyring, '2026-11-28'), randomBytes(32).toString('base64'))
    environment = {
      DATABASE_URL: url,
      BACKUP_S3_BUCKET: await s3.createBucket('backups'),
      BACKUP_S3_REGION: s3.region,
      BACKUP_S3_ENDPOINT: s3.endpoint,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
      BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_KEYRING_DIR: keyring,
    }
  })

  it('backs up, verifies and restores into a new database on the current schema', async () => {
    const backup = await runHelpdesk(['backup', '--tier', 'daily'], environment)
    expect(backup).toMatchObject({ code: 0 })
    const manifest = JSON.parse(backup.stdout)
    expect(manifest.schemaVersion).toBe((await databaseSchemaStatus(url)).version)
    expect(
      manifest.tables
        .filter((table: { checksum?: string }) => table.checksum)
        .map((table: { name: string }) => table.name)
        .sort(),
    ).toEqual([...KEY_TABLES].sort())

    const verify = await runHelpdesk(['verify'], environment)
    expect(verify).toMatchObject({ code: 0 })
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, backupId: manifest.id })

    const target = `${new URL(url).pathname.slice(1)}_restored`
    const restore = await runHelpdesk(['restore', '--target-database', target], environment)
    expect(restore).toMatchObject({ code: 0 })
    const restoredUrl = Object.assign(new URL(url), { pathname: `/${target}` }).toString()
    expect(await databaseSchemaStatus(restoredUrl)).toMatchObject({ current: true, pending: [] })
    const original = await facts(url)
    expect(original.triggers.length).toBeGreaterThan(0)
    expect(await facts(restoredUrl)).toEqual(original)

    const list = await runHelpdesk(['list'], environment)
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: manifest.id, tier: 'daily', keyId: '2026-11-28' }),
    ])
  })

  it('restores TOTP secrets only where their application key is: never silently without MFA', async () => {
    const appKeys = serviceDir('app-keys')
    writeFileSync(path.join(appKeys, '2026-12-06'), randomBytes(32).toString('base64'))
    const sealer = await openAppKeys({ dir: appKeys, generate: false })
    const [user] = await query<{ id: string }>(url, 'select id from users limit 1')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query('update users set totp_secret = $1, mfa_enabled = true where id = $2', [
      sealer.seal('JBSWY3DPEHPK3PXP', totpContext(user?.id as string)),
      user?.id,
    ])
    await client.end()
    expect((await runHelpdesk(['backup'], environment)).code).toBe(0)

    const target = `${new URL(url).pathname.slice(1)}_keyless`
    const keyless = await runHelpdesk(['restore', '--target-database', target], environment)
    expect(keyless.code).toBe(5)
    expect(keyless.stderr).toMatch(
      /cannot use the restored data[\s\S]*encrypted with application key '2026-12-06'[\s\S]*none is configured/,
    )
    const [exists] = await query<{ count: string }>(
      url,
      `select count(*) from pg_database where datname = '${target}'`,
    )
    expect(exists?.count).toBe('0')
    const drill = await runHelpdesk(['verify'], environment)
    expect(drill.code).toBe(8)
    expect(drill.stdout).toContain("application key '2026-12-06'")

    const withKey = await runHelpdesk(['restore', '--target-database', target], {
      ...environment,
      HELPDESK_APP_KEYS_DIR: appKeys,
    })
    expect(withKey.code).toBe(0)
  })

  it('lists the engine commands in its usage and refuses their unknown flags', async () => {
    const usage = await runHelpdesk(['--help'], {})
    for (const command of ['backup', 'restore', 'verify', 'prune', 'list']) {
      expect(usage.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
    }
    const refused = await runHelpdesk(['prune', '--keep-everything'], environment)
    expect(refused.code).toBe(64)
    expect(refused.stderr).toMatch(/keep-everything/)
  })
})
