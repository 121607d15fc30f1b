import { describe, expect, it } from '@jest/globals'
import { BackupSchedule } from '../../../src/backups/schedule.ts'

const parse = (expression: string) => {
  const schedule = BackupSchedule.parse(expression)
  if (!(schedule instanceof BackupSchedule)) throw new Error(schedule.error)
  return schedule
}

describe('BackupSchedule', () => {
  const nightly = parse('0 2 * * *')

  it('finds the latest firing, counting one exactly at now', () => {
    expect(nightly.previous(new Date('2026-11-28T08:00:00Z'))).toEqual(
      new Date('2026-11-28T02:00:00Z'),
    )
    expect(nightly.previous(new Date('2026-11-28T01:59:59Z'))).toEqual(
      new Date('2026-11-27T02:00:00Z'),
    )
    expect(nightly.previous(new Date('2026-11-28T02:00:00Z'))).toEqual(
      new Date('2026-11-28T02:00:00Z'),
    )
  })

  it('finds the next firing strictly after now', () => {
    expect(nightly.next(new Date('2026-11-28T02:00:00Z'))).toEqual(new Date('2026-11-29T02:00:00Z'))
  })

  it('measures the interval between firings', () => {
    expect(nightly.interval(new Date('2026-11-28T08:00:00Z'))).toBe(24 * 3_600_000)
    expect(parse('@weekly').interval(new Date('2026-11-28T08:00:00Z'))).toBe(7 * 24 * 3_600_000)
  })

  it('rejects expressions a CronJob would not accept, saying why', () => {
    expect(BackupSchedule.parse('* * * * * *')).toEqual({
      error: expect.stringContaining('five fields'),
    })
    expect(BackupSchedule.parse('@secondly')).toEqual({
      error: expect.stringContaining('five fields'),
    })
    expect(BackupSchedule.parse('61 2 * * *')).toEqual({
      error: expect.stringContaining('not a valid cron expression'),
    })
  })
})
