import { testServices } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { EXIT_CODES } from '../src/errors.ts'
import type { Manifest } from '../src/manifest.ts'
import type { RestoreResult } from '../src/restore.ts'
import {
  cli,
  contents,
  databaseExists,
  databasesLike,
  query,
  testBed,
  testSchema,
} from './fixture.ts'

const newName = (label: string) => `${label}_${Math.random().toString(36).slice(2, 8)}`
const urlOf = (database: string) => testServices.postgres().url(database)

describe('backup and restore round trip', () => {
  it('restores every table, row and sequence into a new database', async () => {
    const bed = await testBed()
    const backup = await cli(['backup', '--tier', 'daily'], bed.env)
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    const manifest = backup.json<Manifest>()
    expect(manifest).toMatchObject({
      formatVersion: 1,
      tier: 'daily',
      schemaVersion: '002_ticket_watchers.sql',
      database: { name: bed.database, encoding: 'UTF8' },
      dump: { keyId: '2026-01-01', compression: 'zstd', format: 'pg_dump-custom' },
      attachments: null,
    })
    expect(manifest.database.serverVersionNum).toBeGreaterThanOrEqual(150000)
    expect(manifest.dump.ciphertextBytes).toBeLessThan(manifest.dump.plaintextBytes)
    expect(manifest.tables).toEqual(
      expect.arrayContaining([
        {
          schema: 'public',
          name: 'tickets',
          rows: 200,
          checksum: expect.stringMatching(/^-?\d+$/),
        },
        { schema: 'public', name: 'customers', rows: 40 },
        { schema: 'audit', name: 'events', rows: 50 },
      ]),
    )

    const target = newName('restored')
    const restore = await cli(
      ['restore', '--backup', manifest.id, '--target-database', target],
      bed.env,
    )
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
    expect(restore.json<RestoreResult>()).toEqual({
      backupId: manifest.id,
      database: target,
      schemaVersion: '002_ticket_watchers.sql',
    })
    expect(await contents(urlOf(target))).toEqual(await contents(bed.databaseUrl))
    expect(await databasesLike(`${target}_restoring`)).toEqual([])
  })

  it('restores the newest good backup when none is named', async () => {
    const bed = await testBed()
    expect((await cli(['backup'], bed.env)).code).toBe(0)
    await query(
      bed.databaseUrl,
      "INSERT INTO audit.events (kind) VALUES ('after the first backup')",
    )
    const second = (await cli(['backup'], bed.env)).json<Manifest>()
    const target = newName('latest')
    const restore = await cli(['restore', '--target-database', target], bed.env)
    expect(restore.json<RestoreResult>().backupId).toBe(second.id)
    expect(await contents(urlOf(target))).toEqual(await contents(bed.databaseUrl))
  })

  it('refuses a new database name that is not a plain identifier', async () => {
    const bed = await testBed({ seeded: false })
    for (const name of ["host=elsewhere 'quoted'", 'a'.repeat(64), '1st']) {
      const restore = await cli(['restore', '--target-database', name], bed.env)
      expect(restore.code).toBe(EXIT_CODES.usage)
      expect(restore.stderr).toMatch(/--target-database must be 1-63 letters, digits, '_' or '-'/)
    }
  })

  it('runs the migrations forward after restoring an older backup', async () => {
    const bed = await testBed({ upTo: '001_helpdesk.sql' })
    const backup = await cli(['backup'], bed.env, { schema: testSchema('001_helpdesk.sql') })
    expect(backup.json<Manifest>().schemaVersion).toBe('001_helpdesk.sql')
    const target = newName('migrated')
    const restore = await cli(['restore', '--target-database', target], bed.env)
    expect(restore.json<RestoreResult>().schemaVersion).toBe('002_ticket_watchers.sql')
    const watchers = await query(urlOf(target), 'SELECT count(*)::int AS n FROM ticket_watchers')
    expect(watchers).toEqual([{ n: 0 }])
    expect(await query(urlOf(target), 'SELECT count(*)::int AS n FROM tickets')).toEqual([
      { n: 200 },
    ])
  })

  it('refuses to restore over an existing database unless asked to replace it in place', async () => {
    const bed = await testBed()
    expect((await cli(['backup'], bed.env)).code).toBe(0)
    const existing = await cli(['restore', '--target-database', bed.database], bed.env)
    expect(existing.code).toBe(7)
    expect(existing.stderr).toMatch(/already exists/)
    const unconfirmed = await cli(['restore', '--in-place'], bed.env)
    expect(unconfirmed.code).toBe(EXIT_CODES.usage)
    expect(unconfirmed.stderr).toMatch(new RegExp(`--confirm ${bed.database}`))
    const wrongName = await cli(['restore', '--in-place', '--confirm', 'another'], bed.env)
    expect(wrongName.code).toBe(EXIT_CODES.usage)
  })

  it('replaces the database in place and keeps the replaced one', async () => {
    const bed = await testBed()
    const before = await contents(bed.databaseUrl)
    expect((await cli(['backup'], bed.env)).code).toBe(0)
    await query(bed.databaseUrl, 'DELETE FROM messages WHERE id % 2 = 0')
    await query(bed.databaseUrl, "UPDATE customers SET name = 'changed after the backup'")
    const changed = await contents(bed.databaseUrl)
    // A session left open, as a forgotten psql would be: the swap must end it.
    const straggler = new (await import('pg')).default.Client({ connectionString: bed.databaseUrl })
    await straggler.connect()
    straggler.on('error', () => {})
    const restore = await cli(['restore', '--in-place', '--confirm', bed.database], bed.env)
    await straggler.end().catch(() => {})
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
    const result = restore.json<RestoreResult>()
    expect(result.database).toBe(bed.database)
    expect(result.previousDatabase).toMatch(new RegExp(`^${bed.database}_before_restore_\\d{14}$`))
    expect(await contents(bed.databaseUrl)).toEqual(before)
    expect(await contents(urlOf(result.previousDatabase as string))).toEqual(changed)
    expect(await databaseExists(bed.database)).toBe(true)
  })
})
