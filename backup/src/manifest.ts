// The manifest describes one backup and is written last: a backup without one is
// incomplete. It is stored as `{ manifest, mac }`, the MAC an HMAC-SHA256 over the canonical
// JSON of `manifest` with a key derived from the keyring key it names, so a restore never
// trusts sizes, checksums or table counts that someone with write access to the bucket
// could have edited. Format: README.md "Manifest".
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { integrityError } from './errors.ts'
import type { Keyring } from './keyring.ts'

export const MANIFEST_FORMAT_VERSION = 1

export const TIERS = ['daily', 'monthly', 'manual'] as const
export type Tier = (typeof TIERS)[number]

const sha256 = z.string().regex(/^[0-9a-f]{64}$/)
const count = z.number().int().nonnegative()
const timestamp = z.iso.datetime()

const tableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  rows: count,
  /** Order-independent checksum of the rows, for the key tables only. */
  checksum: z.string().optional(),
})
export type TableFacts = z.infer<typeof tableSchema>

const attachmentsSchema = z.object({
  /** The encrypted index of every attachment object in this backup. */
  index: z.object({ key: z.string(), ciphertextBytes: count, ciphertextSha256: sha256 }),
  objects: count,
  bytes: count,
  copiedObjects: count,
  copiedBytes: count,
})
export type AttachmentsFacts = z.infer<typeof attachmentsSchema>

const manifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  id: z.string(),
  tier: z.enum(TIERS),
  startedAt: timestamp,
  completedAt: timestamp,
  engineVersion: z.string(),
  database: z.object({
    name: z.string(),
    serverVersion: z.string(),
    serverVersionNum: z.number().int(),
    encoding: z.string(),
    collate: z.string(),
    ctype: z.string(),
  }),
  /** The application's schema version at backup time; null without a migrator. */
  schemaVersion: z.string().nullable(),
  dump: z.object({
    key: z.string(),
    format: z.literal('pg_dump-custom'),
    compression: z.literal('zstd'),
    encryption: z.literal('hdbk1-aes-256-gcm'),
    keyId: z.string(),
    plaintextBytes: count,
    plaintextSha256: sha256,
    ciphertextBytes: count,
    ciphertextSha256: sha256,
  }),
  tables: z.array(tableSchema),
  attachments: attachmentsSchema.nullable(),
})
export type Manifest = z.infer<typeof manifestSchema>

const envelopeSchema = z.object({
  manifest: z.record(z.string(), z.unknown()),
  mac: z.object({ keyId: z.string(), hmacSha256: sha256 }),
})

/** JSON with object keys sorted at every level: the bytes the MAC covers. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function mac(key: Buffer, manifest: unknown): Buffer {
  const macKey = Buffer.from(hkdfSync('sha256', key, '', 'helpdesk-backup v1 manifest', 32))
  return createHmac('sha256', macKey).update(canonicalJson(manifest)).digest()
}

/** The stored form of a manifest, authenticated with the keyring's current key. */
export function sealManifest(manifest: Manifest, keyring: Keyring): string {
  const keyId = keyring.currentKeyId
  const hmacSha256 = mac(keyring.key(keyId), manifest).toString('hex')
  return `${JSON.stringify({ manifest, mac: { keyId, hmacSha256 } }, null, 2)}\n`
}

/** What can be learnt from a stored manifest without trusting it. */
export interface UnverifiedManifest {
  manifest: Manifest
  macKeyId: string
  /** Checks the MAC; throws a key error for an unknown key, an integrity error on mismatch. */
  authenticate(keyring: Keyring): Manifest
}

/** Parses a stored manifest; `where` names it in error messages. */
export function openManifest(text: string, where: string): UnverifiedManifest {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw integrityError(`${where}: the manifest is not valid JSON`)
  }
  const envelope = envelopeSchema.safeParse(json)
  if (!envelope.success) throw integrityError(`${where}: not a backup manifest`)
  const version = envelope.data.manifest.formatVersion
  if (version !== MANIFEST_FORMAT_VERSION) {
    throw integrityError(
      `${where}: manifest format version ${String(version)} is not supported (this engine reads version ${MANIFEST_FORMAT_VERSION})`,
    )
  }
  const parsed = manifestSchema.safeParse(envelope.data.manifest)
  if (!parsed.success) {
    throw integrityError(`${where}: invalid manifest: ${z.prettifyError(parsed.error)}`)
  }
  const { keyId, hmacSha256 } = envelope.data.mac
  return {
    manifest: parsed.data,
    macKeyId: keyId,
    authenticate(keyring) {
      const expected = mac(keyring.key(keyId), envelope.data.manifest)
      if (!timingSafeEqual(expected, Buffer.from(hmacSha256, 'hex'))) {
        throw integrityError(
          `${where}: the manifest failed authentication: it was modified, or key '${keyId}' is not the key it was made with`,
        )
      }
      return parsed.data
    },
  }
}
