import type { CatalogEntry } from './catalog.ts'
import { formatBytes } from './output.ts'

export interface ListedBackup {
  id: string
  status: CatalogEntry['status']
  tier: string | null
  startedAt: string | null
  ageSeconds: number
  /** Everything stored for it: dump, index and manifest. */
  sizeBytes: number
  keyId: string | null
  schemaVersion: string | null
  problem?: string
}

export function listing(catalog: readonly CatalogEntry[], now: Date): ListedBackup[] {
  return catalog.map((entry) => {
    const started = entry.startedAt ?? entry.lastModified
    return {
      id: entry.id,
      status: entry.status,
      tier: entry.tier ?? null,
      startedAt: entry.startedAt?.toISOString() ?? null,
      ageSeconds: Math.max(0, Math.round((now.getTime() - started.getTime()) / 1000)),
      sizeBytes: entry.objects.reduce((sum, object) => sum + object.size, 0),
      keyId: entry.manifest?.dump.keyId ?? null,
      schemaVersion: entry.manifest?.schemaVersion ?? null,
      ...(entry.problem ? { problem: entry.problem } : {}),
    }
  })
}

function formatAge(seconds: number): string {
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  if (days > 0) return `${days}d ${hours}h`
  if (hours > 0) return `${hours}h ${minutes}m`
  return `${minutes}m`
}

/** A table for people; `--json` gives the same facts to programs. */
export function formatListing(backups: readonly ListedBackup[]): string {
  if (backups.length === 0) return 'no backups\n'
  const rows = [
    ['ID', 'TIER', 'AGE', 'SIZE', 'KEY', 'STATUS'],
    ...backups.map((backup) => [
      backup.id,
      backup.tier ?? '-',
      formatAge(backup.ageSeconds),
      formatBytes(backup.sizeBytes),
      backup.keyId ?? '-',
      backup.status,
    ]),
  ]
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  )
  const problems = backups
    .filter((backup) => backup.problem)
    .map((backup) => `${backup.id}: ${backup.problem}`)
  return `${[...lines, ...(problems.length > 0 ? ['', ...problems] : [])].join('\n')}\n`
}
