// Where sealed values live, and the checks and the re-encryption over all of them. A feature
// that seals a new column adds it to SEALED_COLUMNS.
import type { EntityManager } from '@mikro-orm/postgresql'
import { totpContext } from '../accounts/mfa.ts'
import { channelPasswordContext } from '../channels/commands.ts'
import { type FieldSealer, sealedKeyId } from './sealed.ts'

interface SealedColumn {
  table: string
  column: string
  /** What a value is bound to, from its row's id. */
  context(id: string): string
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'users', column: 'totp_secret', context: totpContext },
  { table: 'users', column: 'totp_pending_secret', context: totpContext },
  { table: 'mail_channels', column: 'password_sealed', context: channelPasswordContext },
]

export interface SealedUsage {
  /** Values per application key id. */
  byKey: Record<string, number>
  /** Values stored before encryption at rest, still in plain text. */
  plaintext: number
}

export async function sealedUsage(em: EntityManager): Promise<SealedUsage> {
  const usage: SealedUsage = { byKey: {}, plaintext: 0 }
  for (const { table, column } of SEALED_COLUMNS) {
    const rows = await em.execute<{ value: string }[]>(
      `select ${column} as value from ${table} where ${column} is not null`,
    )
    for (const { value } of rows) {
      const id = sealedKeyId(value)
      if (id === null) usage.plaintext++
      else usage.byKey[id] = (usage.byKey[id] ?? 0) + 1
    }
  }
  return usage
}

/**
 * What keeps these values from being read with these keys: a key id the keyring lacks, or a
 * key under that id that is not the one they were sealed with (one value per key is opened).
 */
export async function keyProblems(
  em: EntityManager,
  sealer: FieldSealer | null,
): Promise<string[]> {
  const usage = await sealedUsage(em)
  const problems: string[] = []
  for (const [id, count] of Object.entries(usage.byKey)) {
    if (!sealer?.keyIds.includes(id)) {
      problems.push(
        `${count} secret(s) (TOTP secrets, mail channel passwords) are encrypted with application key '${id}', which is not in HELPDESK_APP_KEYS_DIR${sealer ? ` (it holds ${sealer.keyIds.join(', ')})` : ' (none is configured)'}`,
      )
      continue
    }
    const opened = await openOne(em, sealer, id)
    if (opened) problems.push(opened)
  }
  return problems
}

async function openOne(
  em: EntityManager,
  sealer: FieldSealer,
  keyId: string,
): Promise<string | null> {
  for (const { table, column, context } of SEALED_COLUMNS) {
    const [row] = await em.execute<{ id: string; value: string }[]>(
      `select id, ${column} as value from ${table} where ${column} like ? limit 1`,
      [`hd1:${keyId}:%`],
    )
    if (!row) continue
    try {
      sealer.open(row.value, context(row.id))
      return null
    } catch (error) {
      return `application key '${keyId}': ${(error as Error).message}`
    }
  }
  return null
}

/**
 * Seals every value under the current key (old keys and plain text alike), row by row in
 * short transactions; values that cannot be opened are left as they are and reported.
 */
export async function reencrypt(
  em: EntityManager,
  sealer: FieldSealer,
): Promise<{ reencrypted: number; unreadable: string[] }> {
  let reencrypted = 0
  const unreadable: string[] = []
  for (const { table, column, context } of SEALED_COLUMNS) {
    const rows = await em.execute<{ id: string }[]>(
      `select id from ${table} where ${column} is not null and ${column} not like ?`,
      [`hd1:${sealer.currentKeyId}:%`],
    )
    for (const { id } of rows) {
      await em.transactional(async (tx) => {
        const [row] = await tx.execute<{ value: string | null }[]>(
          `select ${column} as value from ${table} where id = ? for update`,
          [id],
        )
        if (!row?.value || sealedKeyId(row.value) === sealer.currentKeyId) return
        try {
          const plain =
            sealedKeyId(row.value) === null ? row.value : sealer.open(row.value, context(id))
          await tx.execute(`update ${table} set ${column} = ? where id = ?`, [
            sealer.seal(plain, context(id)),
            id,
          ])
          reencrypted++
        } catch (error) {
          unreadable.push(`${table}.${column} of ${id}: ${(error as Error).message}`)
        }
      })
    }
  }
  return { reencrypted, unreadable }
}
