// The seed's key rotation: add a newer key, and new backups use it while every backup made
// under an older key still restores, as long as that key stays in the keyring.

import { testServices } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import type { ListedBackup } from '../src/list.ts'
import type { Manifest } from '../src/manifest.ts'
import { cli, contents, newKey, testBed, writeKeyring } from './fixture.ts'

describe('key rotation', () => {
  it('encrypts with the newest key and restores backups made under older ones', async () => {
    const bed = await testBed()
    const underOld = (await cli(['backup'], bed.env)).json<Manifest>()
    const before = await contents(bed.databaseUrl)

    const oldKey = bed.keys['2026-01-01'] as Buffer
    const rotated = {
      ...bed.env,
      BACKUP_KEYRING_DIR: writeKeyring({ '2026-01-01': oldKey, '2026-11-28': newKey() }),
    }
    const underNew = (await cli(['backup'], rotated)).json<Manifest>()
    expect(underOld.dump.keyId).toBe('2026-01-01')
    expect(underNew.dump.keyId).toBe('2026-11-28')

    const listed = (await cli(['list'], rotated)).json<ListedBackup[]>()
    expect(listed.map(({ id, keyId, status }) => ({ id, keyId, status }))).toEqual([
      { id: underNew.id, keyId: '2026-11-28', status: 'good' },
      { id: underOld.id, keyId: '2026-01-01', status: 'good' },
    ])

    for (const manifest of [underOld, underNew]) {
      const target = `rotated_${Math.random().toString(36).slice(2, 8)}`
      const restore = await cli(
        ['restore', '--backup', manifest.id, '--target-database', target],
        rotated,
      )
      expect(restore.code).toBe(0)
      expect(await contents(testServices.postgres().url(target))).toEqual(before)
    }

    // Retiring the old key too early makes its backups unusable, and says so.
    const retired = { ...bed.env, BACKUP_KEYRING_DIR: writeKeyring({ '2026-11-28': newKey() }) }
    const listedRetired = (await cli(['list'], retired)).json<ListedBackup[]>()
    expect(listedRetired.find(({ id }) => id === underOld.id)?.status).toBe('unknown-key')
    const refused = await cli(
      ['restore', '--backup', underOld.id, '--target-database', 'never_made'],
      retired,
    )
    expect(refused.code).toBe(5)
    expect(refused.stderr).toMatch(/key '2026-01-01' is not in the keyring/)
  })
})
