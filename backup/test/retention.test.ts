import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TIERS } from '../src/manifest.ts'
import {
  DEFAULT_RETENTION,
  monthIndex,
  planRetention,
  type RetentionCandidate,
  type RetentionPolicy,
} from '../src/retention.ts'

const NOW = new Date('2026-11-28T12:00:00Z')
const DAY = 86_400_000

const candidate = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  tier: fc.constantFrom(...TIERS),
  // Three years back and a little into the future (a clock that runs ahead).
  startedAt: fc
    .integer({ min: NOW.getTime() - 3 * 365 * DAY, max: NOW.getTime() + 2 * DAY })
    .map((ms) => new Date(ms)),
  good: fc.boolean(),
})
// Backups often share a timestamp's day or even the instant; both must be handled.
const history = fc.uniqueArray(candidate, { selector: (backup) => backup.id, maxLength: 80 })
const policy: fc.Arbitrary<RetentionPolicy> = fc.record(
  {
    daily: fc.integer({ min: 0, max: 40 }),
    monthly: fc.integer({ min: 0, max: 15 }),
    manualMaxAgeDays: fc.integer({ min: 0, max: 400 }),
  },
  { requiredKeys: ['daily', 'monthly'] },
)

const newer = (a: RetentionCandidate, b: RetentionCandidate) =>
  a.startedAt.getTime() > b.startedAt.getTime() ||
  (a.startedAt.getTime() === b.startedAt.getTime() && a.id > b.id)

/** The GFS rules stated one backup at a time, independently of the implementation. */
function keptByDefinition(
  backup: RetentionCandidate,
  all: RetentionCandidate[],
  rules: RetentionPolicy,
): boolean {
  const newerOnes = all.filter((other) => newer(other, backup))
  const scheduled = (other: RetentionCandidate) => other.tier !== 'manual'
  const daily =
    backup.tier === 'daily' &&
    newerOnes.filter((other) => other.tier === 'daily').length < rules.daily
  const monthly =
    scheduled(backup) &&
    monthIndex(NOW) - monthIndex(backup.startedAt) < rules.monthly &&
    !newerOnes.some(
      (other) => scheduled(other) && monthIndex(other.startedAt) === monthIndex(backup.startedAt),
    )
  const manual =
    backup.tier === 'manual' &&
    (rules.manualMaxAgeDays === undefined ||
      NOW.getTime() - backup.startedAt.getTime() <= rules.manualMaxAgeDays * DAY)
  const newest = newerOnes.length === 0
  const newestGood = backup.good && !newerOnes.some((other) => other.good)
  return daily || monthly || manual || newest || newestGood
}

const ids = (backups: RetentionCandidate[]) => backups.map(({ id }) => id).sort()

describe('GFS retention', () => {
  it('keeps exactly the GFS set and removes everything else', () => {
    fc.assert(
      fc.property(history, policy, (backups, rules) => {
        const plan = planRetention(backups, rules, NOW)
        const kept = plan.keep.map(({ backup }) => backup)
        expect(ids([...kept, ...plan.remove])).toEqual(ids(backups))
        expect(ids(kept)).toEqual(
          ids(backups.filter((backup) => keptByDefinition(backup, backups, rules))),
        )
      }),
      { numRuns: 500 },
    )
  })

  it('always keeps the newest backup and the newest good one', () => {
    fc.assert(
      fc.property(history, policy, (backups, rules) => {
        const kept = new Set(planRetention(backups, rules, NOW).keep.map(({ backup }) => backup))
        const newest = backups.find((backup) => !backups.some((other) => newer(other, backup)))
        const good = backups.filter(({ good }) => good)
        const newestGood = good.find((backup) => !good.some((other) => newer(other, backup)))
        if (newest) expect(kept.has(newest)).toBe(true)
        if (newestGood) expect(kept.has(newestGood)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('is stable: pruning what it kept removes nothing more', () => {
    fc.assert(
      fc.property(history, policy, (backups, rules) => {
        const kept = planRetention(backups, rules, NOW).keep.map(({ backup }) => backup)
        expect(planRetention(kept, rules, NOW).remove).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('keeps manual backups unless a maximum age is asked for', () => {
    fc.assert(
      fc.property(history, (backups) => {
        const plan = planRetention(backups, { daily: 0, monthly: 0 }, NOW)
        for (const backup of plan.remove) expect(backup.tier).not.toBe('manual')
      }),
    )
  })

  it('leaves 30 daily and 12 monthly backups from a year of nightly runs', () => {
    const nightly: RetentionCandidate[] = Array.from({ length: 400 }, (_, day) => ({
      id: `night-${String(day).padStart(3, '0')}`,
      tier: 'daily',
      startedAt: new Date(Date.UTC(2026, 10, 28, 2) - day * DAY),
      good: true,
    }))
    const plan = planRetention(nightly, DEFAULT_RETENTION, NOW)
    const kept = plan.keep.map(({ backup }) => backup.startedAt.toISOString().slice(0, 10))
    // 30 nights (Oct 30 - Nov 28, which covers October's last night) plus the last night of
    // each month from December 2025 to September 2026.
    expect(kept).toHaveLength(30 + 10)
    expect(kept).toContain('2025-12-31')
    expect(kept).toContain('2026-09-30')
    expect(kept).not.toContain('2025-11-30')
    expect(plan.keep[0]?.reasons).toEqual(['daily', 'monthly', 'newest', 'newest-good'])
  })
})
