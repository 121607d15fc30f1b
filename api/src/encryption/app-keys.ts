// The application keys of this process: HELPDESK_APP_KEYS_DIR (in Kubernetes the mounted
// application-key Secret that the chart or the operator generates), or in embedded mode a
// key made on first start under the data directory.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { BackupError, loadKeyring } from '@helpdesk/backup'
import { type AppKeysConfig, ConfigError } from '../config.ts'
import { type FieldSealer, fieldSealer } from './sealed.ts'

export const APP_KEYS_VARIABLE = 'HELPDESK_APP_KEYS_DIR'

export async function openAppKeys(settings: AppKeysConfig | null): Promise<FieldSealer> {
  if (!settings) {
    throw new ConfigError([
      `${APP_KEYS_VARIABLE}: required with an external database: a directory holding the application key that encrypts TOTP secrets (a file named by key id, e.g. 2026-12-06, holding 32 random bytes in base64: openssl rand -base64 32)`,
    ])
  }
  if (settings.generate) await generateFirstKey(settings.dir)
  try {
    return fieldSealer(await loadKeyring(settings.dir, APP_KEYS_VARIABLE))
  } catch (error) {
    if (error instanceof BackupError)
      throw new ConfigError([`${APP_KEYS_VARIABLE}: ${error.message}`])
    throw error
  }
}

/** Embedded mode: the first start makes a key, kept with the data it protects. */
async function generateFirstKey(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if ((await readdir(dir)).some((name) => !name.startsWith('.'))) return
  const id = new Date().toISOString().slice(0, 10)
  await writeFile(path.join(dir, id), `${randomBytes(32).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  })
}
