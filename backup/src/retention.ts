// Grandfather-father-son retention (README.md "Retention"), as a pure function so that
// property tests can check it against random histories.
import type { Tier } from './manifest.ts'

export interface RetentionPolicy {
  /** How many of the newest `daily` backups to keep. */
  daily: number
  /** For how many calendar months (UTC, the current one included) to keep the month's newest scheduled backup. */
  monthly: number
  /** Manual backups older than this are deleted; without it they are all kept. */
  manualMaxAgeDays?: number
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 30, monthly: 12 }

export interface RetentionCandidate {
  id: string
  tier: Tier
  startedAt: Date
  /** Its manifest authenticates and its dump object is present. */
  good: boolean
}

export type KeepReason = 'daily' | 'monthly' | 'manual' | 'newest' | 'newest-good'

export interface RetentionPlan<T extends RetentionCandidate> {
  keep: { backup: T; reasons: KeepReason[] }[]
  remove: T[]
}

const DAY_MS = 86_400_000

/** Newest first; ids break ties so the order never depends on the input order. */
function newestFirst<T extends RetentionCandidate>(backups: readonly T[]): T[] {
  return [...backups].sort(
    (a, b) =>
      b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  )
}

export function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth()
}

export function planRetention<T extends RetentionCandidate>(
  backups: readonly T[],
  policy: RetentionPolicy,
  now: Date,
): RetentionPlan<T> {
  const ordered = newestFirst(backups)
  const reasons = new Map<T, KeepReason[]>(ordered.map((backup) => [backup, []]))
  const keepFor = (backup: T | undefined, reason: KeepReason) => {
    if (backup) reasons.get(backup)?.push(reason)
  }

  for (const backup of ordered.filter(({ tier }) => tier === 'daily').slice(0, policy.daily)) {
    keepFor(backup, 'daily')
  }
  const monthsSeen = new Set<number>()
  for (const backup of ordered.filter(({ tier }) => tier !== 'manual')) {
    const month = monthIndex(backup.startedAt)
    if (monthsSeen.has(month)) continue
    monthsSeen.add(month)
    if (monthIndex(now) - month < policy.monthly) keepFor(backup, 'monthly')
  }
  for (const backup of ordered.filter(({ tier }) => tier === 'manual')) {
    const maxAge = policy.manualMaxAgeDays
    if (maxAge === undefined || now.getTime() - backup.startedAt.getTime() <= maxAge * DAY_MS) {
      keepFor(backup, 'manual')
    }
  }
  keepFor(ordered[0], 'newest')
  keepFor(
    ordered.find(({ good }) => good),
    'newest-good',
  )

  const plan: RetentionPlan<T> = { keep: [], remove: [] }
  for (const [backup, why] of reasons) {
    if (why.length > 0) plan.keep.push({ backup, reasons: why })
    else plan.remove.push(backup)
  }
  return plan
}
