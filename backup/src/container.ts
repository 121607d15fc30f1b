// The encrypted container, format version 1 (README.md "Container format"):
//
//   header: "HDBK" | version u8 = 1 | chunk size u32 | salt 32 | key check 16 |
//           key id length u8 | key id | context length u16 | context
//   chunks: AES-256-GCM ciphertext of `chunk size` plaintext bytes + 16-byte tag each;
//           the last chunk holds 0..chunk size bytes and is the only one marked final.
//
// Each container gets its own data key, HKDF-SHA256(keyring key, salt), so the nonce can be
// the chunk index: unique per key, and a chunk moved elsewhere fails authentication. The
// whole header and the final flag are authenticated with every chunk, so a changed key id or
// context, a reordered, dropped or appended chunk, or a stream cut at a chunk boundary fails.
// The decryptor releases a chunk's plaintext only after its tag has been verified.
import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { integrityError, keyError } from './errors.ts'
import type { Keyring } from './keyring.ts'
import { ByteQueue } from './streams.ts'

const MAGIC = Buffer.from('HDBK', 'ascii')
const CONTAINER_VERSION = 1
const DEFAULT_CHUNK_BYTES = 1 << 20
const MIN_CHUNK_BYTES = 1 << 10
/** Bounds what a hostile header can make the decryptor buffer. */
const MAX_CHUNK_BYTES = 1 << 24
const TAG_BYTES = 16
const SALT_BYTES = 32
const KEY_CHECK_BYTES = 16
const FIXED_HEADER_BYTES = MAGIC.length + 1 + 4 + SALT_BYTES + KEY_CHECK_BYTES + 1
const MAX_CONTEXT_BYTES = 1024

export interface ContainerOptions {
  keyring: Keyring
  /**
   * What this container holds, e.g. `database/20261128T020000Z-1a2b3c4d`. Authenticated in
   * the header; decryption refuses a container made for another context, so objects cannot
   * be swapped between backups.
   */
  context: string
}

interface Header {
  chunkBytes: number
  salt: Buffer
  keyCheck: Buffer
  keyId: string
  context: string
  bytes: Buffer
}

function deriveKeys(key: Buffer, salt: Buffer) {
  const derive = (info: string, length: number) =>
    Buffer.from(hkdfSync('sha256', key, salt, `helpdesk-backup v1 ${info}`, length))
  return { dataKey: derive('data', 32), keyCheck: derive('key-check', KEY_CHECK_BYTES) }
}

function nonce(index: number): Buffer {
  const bytes = Buffer.alloc(12)
  bytes.writeBigUInt64BE(BigInt(index), 4)
  return bytes
}

function associatedData(header: Buffer, final: boolean): Buffer {
  return Buffer.concat([header, Buffer.from([final ? 1 : 0])])
}

function encodeHeader(header: Omit<Header, 'bytes'>): Buffer {
  const keyId = Buffer.from(header.keyId, 'utf8')
  const context = Buffer.from(header.context, 'utf8')
  if (context.length > MAX_CONTEXT_BYTES) throw new Error('container context is too long')
  const fixed = Buffer.alloc(FIXED_HEADER_BYTES)
  MAGIC.copy(fixed, 0)
  fixed.writeUInt8(CONTAINER_VERSION, 4)
  fixed.writeUInt32BE(header.chunkBytes, 5)
  header.salt.copy(fixed, 9)
  header.keyCheck.copy(fixed, 9 + SALT_BYTES)
  fixed.writeUInt8(keyId.length, FIXED_HEADER_BYTES - 1)
  const contextLength = Buffer.alloc(2)
  contextLength.writeUInt16BE(context.length)
  return Buffer.concat([fixed, keyId, contextLength, context])
}

/** Encrypts a stream into a container under the keyring's current key. */
export function encryptStream(
  { keyring, context }: ContainerOptions,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Transform {
  const salt = randomBytes(SALT_BYTES)
  const keyId = keyring.currentKeyId
  const { dataKey, keyCheck } = deriveKeys(keyring.key(keyId), salt)
  const header = encodeHeader({ chunkBytes, salt, keyCheck, keyId, context })
  const pending = new ByteQueue()
  let index = 0
  const seal = (plaintext: Buffer, final: boolean) => {
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce(index++))
    cipher.setAAD(associatedData(header, final))
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  }
  return new Transform({
    construct(callback) {
      this.push(header)
      callback()
    },
    transform(chunk: Buffer, _encoding, callback) {
      pending.push(chunk)
      // A chunk is sealed as non-final only once more data is known to follow it.
      while (pending.length > chunkBytes) this.push(seal(pending.take(chunkBytes), false))
      callback()
    },
    flush(callback) {
      callback(null, seal(pending.take(pending.length), true))
    },
  })
}

/**
 * Decrypts a container made for `context` with whichever keyring key its header names.
 * Fails with an integrity error on any tampering or truncation, and with a key error when
 * the key is missing or is not the key the container was made with.
 */
export function decryptStream({ keyring, context }: ContainerOptions): Transform {
  const pending = new ByteQueue()
  let header: Header | undefined
  let dataKey: Buffer | undefined
  let index = 0
  const corrupt = (problem: string) => integrityError(`${context}: ${problem}`)

  const open = (sealed: Buffer, final: boolean): Buffer => {
    const { bytes } = header as Header
    const decipher = createDecipheriv('aes-256-gcm', dataKey as Buffer, nonce(index))
    decipher.setAAD(associatedData(bytes, final))
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES))
    decipher.final()
    index += 1
    return plaintext
  }

  const openOrExplain = (sealed: Buffer, final: boolean): Buffer => {
    try {
      return open(sealed, final)
    } catch {
      if (final && canOpen(sealed, false)) {
        throw corrupt(`truncated: the object ends after chunk ${index} without its final chunk`)
      }
      throw corrupt(`chunk ${index} failed authentication: the object was modified or damaged`)
    }
  }

  const canOpen = (sealed: Buffer, final: boolean) => {
    try {
      open(sealed, final)
      return true
    } catch {
      return false
    }
  }

  const readHeader = (): boolean => {
    const magic = pending.peek(Math.min(pending.length, MAGIC.length))
    if (!magic.equals(MAGIC.subarray(0, magic.length))) {
      throw corrupt('not a Helpdesk backup container (wrong magic bytes)')
    }
    if (pending.length < FIXED_HEADER_BYTES) return false
    const fixed = pending.peek(FIXED_HEADER_BYTES)
    const version = fixed.readUInt8(4)
    if (version !== CONTAINER_VERSION) {
      throw corrupt(
        `container format version ${version} is not supported (this engine reads version ${CONTAINER_VERSION})`,
      )
    }
    const keyIdLength = fixed.readUInt8(FIXED_HEADER_BYTES - 1)
    if (pending.length < FIXED_HEADER_BYTES + keyIdLength + 2) return false
    const contextLength = pending
      .peek(FIXED_HEADER_BYTES + keyIdLength + 2)
      .readUInt16BE(FIXED_HEADER_BYTES + keyIdLength)
    const total = FIXED_HEADER_BYTES + keyIdLength + 2 + contextLength
    if (pending.length < total) return false
    const bytes = pending.take(total)
    header = {
      chunkBytes: bytes.readUInt32BE(5),
      salt: bytes.subarray(9, 9 + SALT_BYTES),
      keyCheck: bytes.subarray(9 + SALT_BYTES, FIXED_HEADER_BYTES - 1),
      keyId: bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + keyIdLength).toString(),
      context: bytes.subarray(FIXED_HEADER_BYTES + keyIdLength + 2).toString(),
      bytes,
    }
    dataKey = unlock(header, keyring, context)
    return true
  }

  const drain = (stream: Transform) => {
    const sealedBytes = (header as Header).chunkBytes + TAG_BYTES
    // Only a chunk with more bytes after it can be a non-final one.
    while (pending.length > sealedBytes)
      stream.push(openOrExplain(pending.take(sealedBytes), false))
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        pending.push(chunk)
        if (header || readHeader()) drain(this)
        callback()
      } catch (error) {
        callback(error as Error)
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!header) throw corrupt('truncated: the header is incomplete')
        if (pending.length < TAG_BYTES || (pending.length === TAG_BYTES && index > 0)) {
          throw corrupt(`truncated: the object ends after chunk ${index} without its final chunk`)
        }
        callback(null, openOrExplain(pending.take(pending.length), true))
      } catch (error) {
        callback(error as Error)
      }
    },
  })
}

/** Checks the header against the expected context and the keyring; returns the data key. */
function unlock(header: Header, keyring: Keyring, context: string): Buffer {
  if (header.chunkBytes < MIN_CHUNK_BYTES || header.chunkBytes > MAX_CHUNK_BYTES) {
    throw integrityError(`${context}: invalid container header (chunk size ${header.chunkBytes})`)
  }
  if (header.context !== context) {
    throw integrityError(
      `${context}: the object holds '${header.context}' instead: objects were swapped or renamed`,
    )
  }
  const { dataKey, keyCheck } = deriveKeys(keyring.key(header.keyId), header.salt)
  if (!timingSafeEqual(keyCheck, header.keyCheck)) {
    throw keyError(
      `${context}: the keyring's key '${header.keyId}' is not the key this object was encrypted with`,
    )
  }
  return dataKey
}
