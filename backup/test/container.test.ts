import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { decryptStream, encryptStream } from '../src/container.ts'
import { BackupError } from '../src/errors.ts'
import { createKeyring, type Keyring } from '../src/keyring.ts'

const CHUNK = 1024
const CONTEXT = 'database/20261128T020000Z-00000001'
const oldKey = randomBytes(32)
const newKey = randomBytes(32)
const keyring = createKeyring(new Map([['2026-01-01', oldKey]]))
const rotated = createKeyring(
  new Map([
    ['2026-01-01', oldKey],
    ['2026-11-28', newKey],
  ]),
)

/** Feeds `data` in pieces of the given sizes, as a network or a pipe would. */
function pieces(data: Buffer, sizes: number[] = [data.length]): Readable {
  const parts: Buffer[] = []
  let offset = 0
  for (const size of sizes) {
    if (offset >= data.length) break
    parts.push(data.subarray(offset, offset + Math.max(1, size)))
    offset += Math.max(1, size)
  }
  if (offset < data.length) parts.push(data.subarray(offset))
  return Readable.from(parts, { objectMode: false })
}

const encrypt = (data: Buffer, ring: Keyring = keyring, sizes?: number[]) =>
  buffer(pieces(data, sizes).pipe(encryptStream({ keyring: ring, context: CONTEXT }, CHUNK)))

const decrypt = (data: Buffer, ring: Keyring = keyring, context = CONTEXT, sizes?: number[]) =>
  buffer(pieces(data, sizes).pipe(decryptStream({ keyring: ring, context })))

/** Decrypts until the failure; returns what was released before it and the error. */
async function partialDecrypt(data: Buffer): Promise<{ released: Buffer; error: unknown }> {
  const released: Buffer[] = []
  const stream = pieces(data).pipe(decryptStream({ keyring, context: CONTEXT }))
  const error = await new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => released.push(chunk))
    stream.on('error', resolve)
    stream.on('end', () => resolve(undefined))
  })
  return { released: Buffer.concat(released), error }
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof BackupError)) throw new Error(`expected a BackupError, got ${error}`)
  return error
}

describe('the encrypted container', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])(
    'round-trips %i bytes',
    async (length) => {
      const plaintext = randomBytes(length)
      const sealed = await encrypt(plaintext)
      if (length >= 64) expect(sealed.includes(plaintext.subarray(0, 64))).toBe(false)
      expect(await decrypt(sealed)).toEqual(plaintext)
    },
  )

  it('round-trips whatever way the input and the ciphertext are split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5 * CHUNK }),
        fc.array(fc.integer({ min: 1, max: 3 * CHUNK })),
        fc.array(fc.integer({ min: 1, max: 3 * CHUNK })),
        async (bytes, writeSizes, readSizes) => {
          const plaintext = Buffer.from(bytes)
          const sealed = await encrypt(plaintext, keyring, writeSizes)
          expect(await decrypt(sealed, keyring, CONTEXT, readSizes)).toEqual(plaintext)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('fails on any changed byte, never yielding the changed chunk', async () => {
    const plaintext = randomBytes(4 * CHUNK + 100)
    const sealed = await encrypt(plaintext)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: sealed.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, flip) => {
          const tampered = Buffer.from(sealed)
          tampered[position] = (tampered[position] as number) ^ flip
          const { released, error } = await partialDecrypt(tampered)
          expect(error).toBeInstanceOf(BackupError)
          expect(['integrity', 'key']).toContain((error as BackupError).kind)
          expect(plaintext.subarray(0, released.length)).toEqual(released)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('fails on truncation at any length, naming a cut at a chunk boundary', async () => {
    const sealed = await encrypt(randomBytes(3 * CHUNK + 5))
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sealed.length - 1 }), async (length) => {
        const error = await failure(decrypt(sealed.subarray(0, length)))
        expect(error.kind).toBe('integrity')
      }),
      { numRuns: 200 },
    )
    const headerBytes = sealed.length - (3 * CHUNK + 5) - 4 * 16
    const atBoundary = sealed.subarray(0, headerBytes + 2 * (CHUNK + 16))
    expect((await failure(decrypt(atBoundary))).message).toMatch(
      /truncated: the object ends after chunk 2 without its final chunk/,
    )
  })

  it('fails when chunks are reordered, dropped or appended', async () => {
    const plaintext = randomBytes(3 * CHUNK + 5)
    const sealed = await encrypt(plaintext)
    const headerBytes = sealed.length - plaintext.length - 4 * 16
    const header = sealed.subarray(0, headerBytes)
    const chunk = (index: number) =>
      sealed.subarray(headerBytes + index * (CHUNK + 16), headerBytes + (index + 1) * (CHUNK + 16))
    const last = sealed.subarray(headerBytes + 3 * (CHUNK + 16))
    const variants = [
      Buffer.concat([header, chunk(1), chunk(0), chunk(2), last]),
      Buffer.concat([header, chunk(0), chunk(2), last]),
      Buffer.concat([header, chunk(0), chunk(1), chunk(2), last, last]),
      Buffer.concat([sealed, Buffer.from('trailing')]),
    ]
    for (const variant of variants) {
      expect((await failure(decrypt(variant))).kind).toBe('integrity')
    }
  })

  it('refuses a container made for another backup', async () => {
    const sealed = await encrypt(randomBytes(100))
    const error = await failure(decrypt(sealed, keyring, 'database/another-backup'))
    expect(error.kind).toBe('integrity')
    expect(error.message).toMatch(/swapped or renamed/)
  })

  it('names an unknown key id and the ids the keyring has', async () => {
    const sealed = await encrypt(randomBytes(100), rotated)
    const error = await failure(decrypt(sealed, keyring))
    expect(error.kind).toBe('key')
    expect(error.message).toMatch(
      /key '2026-11-28' is not in the keyring \(it holds '2026-01-01'\)/,
    )
  })

  it('tells a wrong key under a known id from tampering', async () => {
    const sealed = await encrypt(randomBytes(100))
    const impostor = createKeyring(new Map([['2026-01-01', randomBytes(32)]]))
    const error = await failure(decrypt(sealed, impostor))
    expect(error.kind).toBe('key')
    expect(error.message).toMatch(/is not the key this object was encrypted with/)
  })

  it('encrypts with the newest key and still opens containers made with older ones', async () => {
    const plaintext = randomBytes(2 * CHUNK)
    const underOldKey = await encrypt(plaintext, keyring)
    const underNewKey = await encrypt(plaintext, rotated)
    expect(underNewKey.includes(Buffer.from('2026-11-28'))).toBe(true)
    expect(await decrypt(underOldKey, rotated)).toEqual(plaintext)
    expect(await decrypt(underNewKey, rotated)).toEqual(plaintext)
  })

  it('rejects a foreign file clearly', async () => {
    const error = await failure(decrypt(Buffer.from('PGDMP\x01\x0e\x00 not a container at all')))
    expect(error.message).toMatch(/not a Helpdesk backup container/)
  })
})
