// The automatic restore drill: restore into a scratch database, compare with the manifest,
// run the migrations, drop the scratch database.
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { s3Client, testServices } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { createKeyring } from '../src/keyring.ts'
import { type Manifest, sealManifest } from '../src/manifest.ts'
import type { VerifyReport } from '../src/verify.ts'
import { cli, databasesLike, query, scratchPrefix, testBed, testSchema } from './fixture.ts'

describe('verify', () => {
  it('restores the newest backup into a scratch database and finds it sound', async () => {
    const bed = await testBed({ upTo: '001_helpdesk.sql' })
    const manifest = (
      await cli(['backup'], bed.env, { schema: testSchema('001_helpdesk.sql') })
    ).json<Manifest>()
    const verify = await cli(['verify'], bed.env)
    expect(verify.code).toBe(0)
    expect(verify.json<VerifyReport>()).toMatchObject({
      backupId: manifest.id,
      ok: true,
      problems: [],
      tables: 5,
      rows: 40 + 200 + 400 + 50 + 1,
      checksummedTables: 2,
      schemaVersion: { backup: '001_helpdesk.sql', afterMigrations: '002_ticket_watchers.sql' },
    })
    expect(await databasesLike(scratchPrefix(manifest.id))).toEqual([])
  })

  it('matches the manifest even when rows change while the backup runs', async () => {
    const bed = await testBed()
    let writing = true
    const writer = (async () => {
      let written = 0
      while (writing) {
        await query(
          bed.databaseUrl,
          "INSERT INTO audit.events (kind) SELECT 'during backup' FROM generate_series(1, 50)",
        )
        await query(
          bed.databaseUrl,
          'UPDATE tickets SET priority = coalesce(priority, 0) + 1 WHERE id % 10 = $1',
          [written % 10],
        )
        written += 1
      }
      return written
    })()
    const backup = await cli(['backup'], bed.env)
    writing = false
    expect(await writer).toBeGreaterThan(0)
    expect(backup.code).toBe(0)
    const events = backup.json<Manifest>().tables.find((table) => table.name === 'events')
    const [now] = await query<{ n: number }>(
      bed.databaseUrl,
      'SELECT count(*)::int AS n FROM audit.events',
    )
    // The database kept moving; the manifest describes the dump's snapshot of it.
    expect(now?.n).toBeGreaterThan(events?.rows ?? 0)
    const verify = await cli(['verify', '--backup', backup.json<Manifest>().id], bed.env)
    expect(verify.json<VerifyReport>().problems).toEqual([])
    expect(verify.code).toBe(0)
  })

  it('reports every difference from the manifest and exits with 8', async () => {
    const bed = await testBed()
    const manifest = (await cli(['backup'], bed.env)).json<Manifest>()
    // A manifest that authenticates but is wrong, as a bug in the engine could write it.
    const tables = manifest.tables.map((table) =>
      table.name === 'customers'
        ? { ...table, rows: table.rows + 1 }
        : table.name === 'tickets'
          ? { ...table, checksum: '12345' }
          : table,
    )
    const wrong = { ...manifest, tables: [...tables, { schema: 'public', name: 'lost', rows: 3 }] }
    const client = s3Client(testServices.s3())
    await client.send(
      new PutObjectCommand({
        Bucket: bed.bucket,
        Key: `helpdesk/backups/${manifest.id}/manifest.json`,
        Body: sealManifest(wrong, createKeyring(new Map(Object.entries(bed.keys)))),
      }),
    )
    client.destroy()
    const verify = await cli(['verify', '--keep-scratch'], bed.env)
    expect(verify.code).toBe(8)
    const report = verify.json<VerifyReport>()
    expect(report.ok).toBe(false)
    expect(report.problems).toEqual([
      'public.customers: 40 rows, the manifest says 41',
      'public.tickets: row checksum differs from the manifest',
      'public.lost: missing after restore',
    ])
    expect(await databasesLike(scratchPrefix(manifest.id))).toEqual([report.scratchDatabase])
    await query(testServices.postgres().url(), `DROP DATABASE "${report.scratchDatabase}"`)
  })
})
