// Encryption at rest for the credentials the API must read back (TOTP secrets): AES-256-GCM
// with an application key from a keyring directory (the format of the backup keyring: one
// file per key, named by its id, 32 random bytes in base64; the greatest id seals). A sealed
// value names its key, so keys rotate: add a newer key, run `helpdesk app-keys reencrypt`,
// remove the old key once `helpdesk app-keys status` shows nothing under it.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { Keyring } from '@helpdesk/backup'

/** `hd1:<key id>:<base64url(nonce | ciphertext | tag)>`. Key ids never hold a colon. */
const FORMAT = 'hd1'
const SEALED = /^hd1:([A-Za-z0-9][A-Za-z0-9._-]{0,127}):([A-Za-z0-9_-]+)$/
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** A value that cannot be opened here: its key is missing, or it was tampered with. */
export class SealedValueError extends Error {
  override name = 'SealedValueError'
}

export interface FieldSealer {
  /** The key new values are sealed with. */
  readonly currentKeyId: string
  readonly keyIds: readonly string[]
  /**
   * Encrypts `plaintext`, bound to `context` (e.g. `totp:<user id>`): a sealed value copied
   * onto another row or field does not open there.
   */
  seal(plaintext: string, context: string): string
  /** Decrypts a value sealed for `context`; a SealedValueError says why it cannot. */
  open(sealed: string, context: string): string
}

/** The key id a stored value was sealed with; null for anything not sealed by us. */
export function sealedKeyId(value: string): string | null {
  return SEALED.exec(value)?.[1] ?? null
}

export function fieldSealer(keyring: Keyring): FieldSealer {
  const subkeys = new Map<string, Buffer>()
  // The keyring's key is never used directly: this purpose gets its own key.
  const subkey = (id: string) => {
    let key = subkeys.get(id)
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', keyring.key(id), '', 'helpdesk app v1 sealed field', 32))
      subkeys.set(id, key)
    }
    return key
  }
  return {
    currentKeyId: keyring.currentKeyId,
    keyIds: keyring.keyIds,
    seal(plaintext, context) {
      const id = keyring.currentKeyId
      const nonce = randomBytes(NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', subkey(id), nonce)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
      return `${FORMAT}:${id}:${sealed}`
    },
    open(sealed, context) {
      const match = SEALED.exec(sealed)
      if (!match?.[1] || !match[2]) throw new SealedValueError('not a sealed value')
      const id = match[1]
      if (!keyring.keyIds.includes(id)) {
        throw new SealedValueError(
          `sealed with application key '${id}', which is not in HELPDESK_APP_KEYS_DIR (it holds ${keyring.keyIds.join(', ')})`,
        )
      }
      const bytes = Buffer.from(match[2], 'base64url')
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SealedValueError('truncated value')
      const decipher = createDecipheriv('aes-256-gcm', subkey(id), bytes.subarray(0, NONCE_BYTES))
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8')
      } catch {
        throw new SealedValueError(
          `does not open with application key '${id}': another key under that id, or the value was altered`,
        )
      }
    },
  }
}
