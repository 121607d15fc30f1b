import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { BackupError } from '../src/errors.ts'
import { loadKeyring } from '../src/keyring.ts'
import { newKey, writeKeyring } from './fixture.ts'

async function loadError(dir: string): Promise<BackupError> {
  const error = await loadKeyring(dir).catch((caught: unknown) => caught)
  if (!(error instanceof BackupError)) throw new Error('expected the keyring to be refused')
  expect(error.kind).toBe('key')
  return error
}

describe('the keyring directory', () => {
  it('reads a mounted Secret, skipping Kubernetes bookkeeping, and encrypts with the greatest id', async () => {
    const first = newKey()
    const second = newKey()
    const dir = writeKeyring({ '2026-01-01': first, '2026-11-28': second, '2026-06-30': newKey() })
    // Kubernetes projects each key as a link into the current `..data` directory.
    mkdirSync(path.join(dir, '..data-next'))
    writeFileSync(path.join(dir, '..data-next', '2030-01-01'), newKey().toString('base64'))
    const keyring = await loadKeyring(dir)
    expect(keyring.keyIds).toEqual(['2026-01-01', '2026-06-30', '2026-11-28'])
    expect(keyring.currentKeyId).toBe('2026-11-28')
    expect(keyring.key('2026-01-01')).toEqual(first)
    expect(keyring.key('2026-11-28')).toEqual(second)
  })

  it('orders ids by bytes, as the contract says', async () => {
    const keyring = await loadKeyring(
      writeKeyring({ Zulu: newKey(), alpha: newKey(), '9': newKey() }),
    )
    expect(keyring.currentKeyId).toBe('alpha')
  })

  it('follows links to key files, as Secret volumes use them', async () => {
    const dir = serviceDir('keyring-links')
    mkdirSync(path.join(dir, '..2026'))
    writeFileSync(path.join(dir, '..2026', 'k1'), newKey().toString('base64'))
    symlinkSync('..2026', path.join(dir, '..data'))
    symlinkSync('..data/k1', path.join(dir, 'k1'))
    expect((await loadKeyring(dir)).keyIds).toEqual(['k1'])
  })

  it('lists every bad key at once', async () => {
    const dir = serviceDir('keyring-bad')
    writeFileSync(path.join(dir, 'short'), newKey().subarray(0, 16).toString('base64'))
    writeFileSync(path.join(dir, 'not-base64'), 'this is not a key!')
    writeFileSync(path.join(dir, 'good'), newKey().toString('base64'))
    symlinkSync('nowhere', path.join(dir, 'dangling'))
    const error = await loadError(dir)
    expect(error.message).toContain('short: expected 32 bytes in base64, found 16 bytes')
    expect(error.message).toContain('not-base64: expected 32 bytes in base64')
    expect(error.message).toContain('dangling: cannot be read')
  })

  it('says how to fix an empty or missing keyring', async () => {
    expect((await loadError(serviceDir('keyring-empty'))).message).toMatch(
      /holds no keys: .*openssl rand -base64 32/,
    )
    expect((await loadError('/nonexistent/keys')).message).toMatch(
      /cannot read the keyring directory \/nonexistent\/keys \(BACKUP_KEYRING_DIR\): ENOENT/,
    )
  })

  it('refuses key ids that could not travel in a header', async () => {
    const dir = serviceDir('keyring-names')
    writeFileSync(path.join(dir, 'key with spaces'), newKey().toString('base64'))
    expect((await loadError(dir)).message).toMatch(/key with spaces: a key id is 1-128 letters/)
  })
})
