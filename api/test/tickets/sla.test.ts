import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  afterFirstResponse,
  afterStatusChange,
  dueTimes,
  newClock,
  type SlaClock,
} from '../../src/tickets/sla.ts'
import { TICKET_STATUSES, type TicketStatus } from '../../src/tickets/vocabulary.ts'

const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 }
const created = new Date('2026-11-02T09:00:00Z')
const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000)

describe('SLA due times', () => {
  it('starts both clocks at creation', () => {
    expect(dueTimes(newClock(created, 'new'), 'new', targets)).toEqual({
      firstResponseDueAt: at(60),
      resolutionDueAt: at(480),
    })
  })

  it('drops the first-response target once staff replied', () => {
    const clock = afterFirstResponse(newClock(created, 'new'), at(10))
    expect(dueTimes(clock, 'open', targets)).toEqual({
      firstResponseDueAt: null,
      resolutionDueAt: at(480),
    })
    expect(afterFirstResponse(clock, at(20)).firstRespondedAt).toEqual(at(10))
  })

  it('pauses the resolution clock while pending and resumes where it stopped', () => {
    let clock = newClock(created, 'open')
    clock = afterStatusChange(clock, 'open', 'pending', at(100))
    expect(dueTimes(clock, 'pending', targets).resolutionDueAt).toBeNull()
    clock = afterStatusChange(clock, 'pending', 'open', at(160))
    expect(dueTimes(clock, 'open', targets).resolutionDueAt).toEqual(at(540))
    clock = afterStatusChange(clock, 'open', 'pending', at(200))
    clock = afterStatusChange(clock, 'pending', 'on_hold', at(230))
    expect(dueTimes(clock, 'on_hold', targets).resolutionDueAt).toEqual(at(570))
  })

  it('keeps the first-response clock running while pending', () => {
    const clock = afterStatusChange(newClock(created, 'new'), 'new', 'pending', at(5))
    expect(dueTimes(clock, 'pending', targets).firstResponseDueAt).toEqual(at(60))
  })

  it('has no due times once solved, and resumes without counting the solved time', () => {
    let clock = afterStatusChange(newClock(created, 'new'), 'new', 'solved', at(30))
    expect(dueTimes(clock, 'solved', targets)).toEqual({
      firstResponseDueAt: null,
      resolutionDueAt: null,
    })
    clock = afterStatusChange(clock, 'solved', 'open', at(1000))
    expect(dueTimes(clock, 'open', targets).resolutionDueAt).toEqual(at(1450))
  })

  it('counts a ticket created as pending as paused from the start', () => {
    const clock = afterStatusChange(newClock(created, 'pending'), 'pending', 'open', at(45))
    expect(dueTimes(clock, 'open', targets).resolutionDueAt).toEqual(at(525))
  })

  it('never moves the resolution due time earlier than the target, whatever the statuses', () => {
    const step = fc.record({
      status: fc.constantFrom(...TICKET_STATUSES),
      minutes: fc.integer({ min: 0, max: 10_000 }),
    })
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let clock: SlaClock = newClock(created, 'new')
        let status: TicketStatus = 'new'
        let now = 0
        let stoppedMinutes = 0
        for (const next of steps) {
          if (['pending', 'solved', 'closed'].includes(status)) stoppedMinutes += next.minutes
          now += next.minutes
          clock = afterStatusChange(clock, status, next.status, at(now))
          status = next.status
        }
        const due = dueTimes(clock, status, targets).resolutionDueAt
        if (clock.pausedSince) return due === null
        return due?.getTime() === at(480 + stoppedMinutes).getTime()
      }),
    )
  })
})
