import { describe, expect, it } from '@jest/globals'
import { UpgradeGate } from '../../../src/helpdesk/hold.ts'
import { ManualClock } from '../../support/manual-clock.ts'

const HOUR = 3_600_000

describe('UpgradeGate', () => {
  it('lets one Helpdesk upgrade per interval', () => {
    const clock = new ManualClock(new Date('2026-12-07T00:00:00Z'))
    const gate = new UpgradeGate(HOUR, clock)
    expect(gate.acquire('ns/a')).toBe(0)
    expect(gate.acquire('ns/b')).toBe(HOUR)
    clock.advance(HOUR / 4)
    expect(gate.acquire('ns/c')).toBe((3 * HOUR) / 4)
    clock.advance((3 * HOUR) / 4)
    expect(gate.acquire('ns/b')).toBe(0)
    expect(gate.acquire('ns/c')).toBe(HOUR)
  })

  it('keeps the slot for the Helpdesk holding it, so a failed reconcile retries with it', () => {
    const clock = new ManualClock(new Date('2026-12-07T00:00:00Z'))
    const gate = new UpgradeGate(HOUR, clock)
    expect(gate.acquire('ns/a')).toBe(0)
    expect(gate.acquire('ns/a')).toBe(0)
    expect(gate.acquire('ns/b')).toBe(HOUR)
  })
})
