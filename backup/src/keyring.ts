// The keyring contract is CONTRIBUTING.md "Backup engine": one file per key, the file name
// is the key id, the content 32 random bytes in base64; the greatest id encrypts.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { BackupError, keyError } from './errors.ts'

const KEY_BYTES = 32

/** Key ids travel in container headers and manifests, so they stay short and plain. */
const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/

export interface Keyring {
  /** The id of the key new backups are encrypted with. */
  readonly currentKeyId: string
  readonly keyIds: readonly string[]
  /** The key with this id; a key error names the ids the keyring does have. */
  key(id: string): Buffer
}

export function createKeyring(keys: ReadonlyMap<string, Buffer>): Keyring {
  const keyIds = [...keys.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const currentKeyId = keyIds.at(-1)
  if (currentKeyId === undefined) throw keyError('the keyring holds no keys')
  for (const [id, key] of keys) {
    if (!KEY_ID_PATTERN.test(id)) throw keyError(`invalid key id '${id}'`)
    if (key.length !== KEY_BYTES) throw keyError(`key '${id}' is not ${KEY_BYTES} bytes`)
  }
  return {
    currentKeyId,
    keyIds,
    key(id) {
      const key = keys.get(id)
      if (!key) {
        throw keyError(
          `key '${id}' is not in the keyring (it holds ${keyIds.map((known) => `'${known}'`).join(', ')}); add the key this backup was made with`,
        )
      }
      return key
    },
  }
}

/**
 * Reads a keyring directory such as a mounted Kubernetes Secret (the backup keyring, and the
 * API's application keys: `variable` names the setting in messages). Names starting with a dot
 * are skipped: Kubernetes keeps its `..data` bookkeeping links there. Every problem is
 * reported at once, so a broken Secret is fixed in one go.
 */
export async function loadKeyring(dir: string, variable = 'BACKUP_KEYRING_DIR'): Promise<Keyring> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    throw new BackupError(
      'key',
      `cannot read the keyring directory ${dir} (${variable}): ${(error as NodeJS.ErrnoException).code ?? error}`,
    )
  }
  const problems: string[] = []
  const keys = new Map<string, Buffer>()
  for (const name of names.filter((entry) => !entry.startsWith('.')).sort()) {
    const file = path.join(dir, name)
    const kind = await stat(file).then(
      (stats) => (stats.isFile() ? 'file' : 'other'),
      () => 'unreadable',
    )
    if (kind === 'other') continue
    if (kind === 'unreadable') {
      problems.push(`${name}: cannot be read (a dangling link?)`)
      continue
    }
    if (!KEY_ID_PATTERN.test(name)) {
      problems.push(`${name}: a key id is 1-128 letters, digits, '.', '_' or '-'`)
      continue
    }
    const key = decodeKey((await readFile(file, 'utf8')).trim())
    if (typeof key === 'string') problems.push(`${name}: ${key}`)
    else keys.set(name, key)
  }
  if (problems.length > 0) {
    throw keyError(`invalid keyring ${dir}:\n${problems.map((line) => `  - ${line}`).join('\n')}`)
  }
  if (keys.size === 0) {
    throw keyError(
      `the keyring ${dir} holds no keys: add a file named by key id (e.g. 2026-11-28) holding ${KEY_BYTES} random bytes in base64 (openssl rand -base64 ${KEY_BYTES})`,
    )
  }
  return createKeyring(keys)
}

/** The key, or what is wrong with the text. */
function decodeKey(text: string): Buffer | string {
  if (!BASE64_PATTERN.test(text)) return `expected ${KEY_BYTES} bytes in base64`
  const key = Buffer.from(text, 'base64')
  if (key.length !== KEY_BYTES) {
    return `expected ${KEY_BYTES} bytes in base64, found ${key.length} bytes`
  }
  return key
}
