// Encryption at rest of TOTP secrets: sealed with the application key (AES-256-GCM, bound to
// the user, naming its key), readable after a key rotation, moved to the new key by
// `helpdesk app-keys reencrypt`, and a process without the key refuses to start instead of
// locking everyone with MFA out.
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fieldSealer, SealedValueError, sealedKeyId } from '../../src/encryption/sealed.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import {
  HELPDESK_CLI,
  runHelpdesk as helpdesk,
  killServerProcesses,
  startServerProcess,
} from '../support/process.ts'

const newKey = () => randomBytes(32).toString('base64')

function keyring(keys: Record<string, string>): string {
  const dir = serviceDir('keys')
  for (const [id, key] of Object.entries(keys)) writeFileSync(path.join(dir, id), key)
  return dir
}

describe('sealed values', () => {
  const keys = new Map([
    ['2026-01-01', randomBytes(32)],
    ['2026-06-01', randomBytes(32)],
  ])
  const sealer = fieldSealer({
    currentKeyId: '2026-06-01',
    keyIds: [...keys.keys()],
    key: (id) => keys.get(id) as Buffer,
  })

  it('name their key, differ every time, and open only for their own context', () => {
    const a = sealer.seal('JBSWY3DPEHPK3PXP', 'totp:alice')
    const b = sealer.seal('JBSWY3DPEHPK3PXP', 'totp:alice')
    expect(sealedKeyId(a)).toBe('2026-06-01')
    expect(a).not.toBe(b)
    expect(a).not.toContain('JBSWY3DPEHPK3PXP')
    expect(sealer.open(a, 'totp:alice')).toBe('JBSWY3DPEHPK3PXP')
    // Copied onto another user's row, it does not open.
    expect(() => sealer.open(a, 'totp:mallory')).toThrow(SealedValueError)
  })

  it('refuse a changed byte, and name a missing key', () => {
    const sealed = sealer.seal('secret', 'c')
    const body = sealed.split(':')[2] as string
    const flipped = `${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}`
    expect(() => sealer.open(`hd1:2026-06-01:${flipped}`, 'c')).toThrow(SealedValueError)
    expect(() => sealer.open(sealed.replace('2026-06-01', '2027-01-01'), 'c')).toThrow(
      /application key '2027-01-01', which is not in HELPDESK_APP_KEYS_DIR/,
    )
  })
})

describe('TOTP secrets at rest', () => {
  let databaseUrl: string
  let api: TestApp
  const first = newKey()

  beforeAll(async () => {
    databaseUrl = await testServices.postgres().createDatabase('sealed')
  })
  afterAll(async () => {
    await api?.close()
    killServerProcesses()
  })

  const secretsOf = async (userId: string) => {
    const [row] = await api.app.services.orm.em
      .fork()
      .execute<{ totp_secret: string }[]>('select totp_secret from users where id = ?', [userId])
    return row?.totp_secret as string
  }

  it('are stored sealed, survive a key rotation, and move to the new key on reencrypt', async () => {
    const keys = keyring({ '2026-01-01': first })
    api = await startTestApp({ DATABASE_URL: databaseUrl, HELPDESK_APP_KEYS_DIR: keys })
    const user = await createTestUser(api, { role: 'agent', mfa: true })
    const stored = await secretsOf(user.id)
    expect(stored).toMatch(/^hd1:2026-01-01:[A-Za-z0-9_-]+$/)
    expect(stored).not.toContain(user.totpSecret)
    await api.close()

    // A newer key: new secrets use it, old ones still open.
    writeFileSync(path.join(keys, '2026-06-01'), newKey())
    api = await startTestApp({ DATABASE_URL: databaseUrl, HELPDESK_APP_KEYS_DIR: keys })
    expect((await signIn(api, user)).cookie).toBeDefined()
    const environment = { DATABASE_URL: databaseUrl, HELPDESK_APP_KEYS_DIR: keys }
    const status = await helpdesk(['app-keys', 'status'], environment)
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({
      currentKey: '2026-06-01',
      byKey: { '2026-01-01': 1 },
      problems: [],
    })
    const reencrypted = await helpdesk(['app-keys', 'reencrypt'], environment)
    expect(reencrypted.code).toBe(0)
    expect(JSON.parse(reencrypted.stdout)).toMatchObject({ reencrypted: 1, unreadable: [] })
    expect(await secretsOf(user.id)).toMatch(/^hd1:2026-06-01:/)

    // The old key can go: sign-in still works with the new one alone.
    rmSync(path.join(keys, '2026-01-01'))
    await api.close()
    api = await startTestApp({ DATABASE_URL: databaseUrl, HELPDESK_APP_KEYS_DIR: keys })
    expect((await signIn(api, user)).cookie).toBeDefined()
  })

  it('a process without the key refuses to start, and says which key is missing', async () => {
    const other = keyring({ '2030-01-01': newKey() })
    const started = await startServerProcess(HELPDESK_CLI, {
      DATABASE_URL: databaseUrl,
      HELPDESK_APP_KEYS_DIR: other,
    }).catch((error: Error) => error)
    expect(started).toBeInstanceOf(Error)
    expect(String(started)).toMatch(
      /exited with 78[\s\S]*encrypted with application key '2026-06-01', which is not in HELPDESK_APP_KEYS_DIR/,
    )
    const status = await helpdesk(['app-keys', 'status'], {
      DATABASE_URL: databaseUrl,
      HELPDESK_APP_KEYS_DIR: other,
    })
    expect(status.code).toBe(1)
  })

  it('an external database without HELPDESK_APP_KEYS_DIR is a configuration error', async () => {
    const empty = path.join(serviceDir('no-keys'), 'keys')
    mkdirSync(empty)
    const run = await helpdesk(['serve'], { DATABASE_URL: databaseUrl, HELPDESK_APP_KEYS_DIR: '' })
    expect(run.code).toBe(78)
    expect(run.stderr).toContain('HELPDESK_APP_KEYS_DIR: required with an external database')
    const emptyKeys = await helpdesk(['serve'], {
      DATABASE_URL: databaseUrl,
      HELPDESK_APP_KEYS_DIR: empty,
    })
    expect(emptyKeys.code).toBe(78)
    expect(emptyKeys.stderr).toContain('holds no keys')
  })
})
