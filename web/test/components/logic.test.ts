// Pure rules the pages rely on: SLA levels, queue filters, history wording, SLA hours input,
// sign-in redirects, and how values read.
import { describe, expect, it } from '@jest/globals'
import { parseHours } from '../../src/admin/SlaPage.tsx'
import { effectiveFilters, WORKING_STATUSES } from '../../src/agent/queues.ts'
import { ApiError } from '../../src/api/client.ts'
import type { Ticket } from '../../src/api/types.ts'
import { safeNextPath } from '../../src/hooks/session.tsx'
import { matchPath } from '../../src/router/router.tsx'
import { attachmentProblem } from '../../src/tickets/attachments.ts'
import { DUE_SOON_MS, slaTargets } from '../../src/tickets/sla.ts'
import { describeEvent } from '../../src/tickets/Timeline.tsx'
import { formatBytes, humanize } from '../../src/ui/format.ts'

const NOW = Date.parse('2026-03-01T12:00:00Z')
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString()

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 't1',
    number: 1,
    subject: 'Printer on fire',
    status: 'open',
    priority: 'normal',
    requester: { id: 'c1', name: 'Carla' },
    assignee: null,
    team: null,
    tags: [],
    createdAt: at(-3_600_000),
    updatedAt: at(-60_000),
    firstResponseDueAt: null,
    resolutionDueAt: null,
    slaBreached: false,
    ...overrides,
  }
}

describe('SLA targets', () => {
  it('orders running targets soonest first and grades them', () => {
    const targets = slaTargets(
      ticket({ firstResponseDueAt: at(DUE_SOON_MS - 1), resolutionDueAt: at(DUE_SOON_MS * 10) }),
      NOW,
    )
    expect(targets.map((target) => [target.label, target.level])).toEqual([
      ['First response', 'due-soon'],
      ['Resolution', 'on-track'],
    ])
  })

  it('calls a passed target breached once the API says so, overdue before', () => {
    expect(slaTargets(ticket({ resolutionDueAt: at(-1) }), NOW)[0]?.level).toBe('overdue')
    expect(slaTargets(ticket({ resolutionDueAt: at(-1), slaBreached: true }), NOW)[0]?.level).toBe(
      'breached',
    )
  })

  it('stops counting once the ticket is solved or closed', () => {
    for (const status of ['solved', 'closed'] as const) {
      expect(slaTargets(ticket({ status, resolutionDueAt: at(-1) }), NOW)).toEqual([])
    }
  })
})

describe('queue filters', () => {
  it('starts from the queue and lets explicit filters override it', () => {
    expect(effectiveFilters(new URLSearchParams(''))).toEqual({
      assigneeId: 'me',
      status: WORKING_STATUSES,
    })
    expect(
      effectiveFilters(new URLSearchParams('queue=unassigned&status=pending&tag=vip&sort=due')),
    ).toEqual({ assigneeId: 'none', status: 'pending', tag: 'vip', sort: 'due' })
  })

  it('searches every ticket, narrowed only by explicit filters', () => {
    expect(effectiveFilters(new URLSearchParams('queue=mine&q=%20printer%20jam%20'))).toEqual({
      q: 'printer jam',
    })
    expect(effectiveFilters(new URLSearchParams('queue=mine&q=jam&priority=urgent'))).toEqual({
      q: 'jam',
      priority: 'urgent',
    })
  })

  it('falls back to the default queue for an unknown one', () => {
    expect(effectiveFilters(new URLSearchParams('queue=nonsense')).assigneeId).toBe('me')
  })
})

describe('history wording', () => {
  it('describes changes field by field', () => {
    expect(
      describeEvent({
        id: 'e1',
        at: at(0),
        actor: null,
        action: 'ticket.updated',
        changes: {
          status: { from: 'new', to: 'on_hold' },
          assignee: { from: null, to: { id: 'a1', name: 'Ada' } },
          tags: { from: ['vip'], to: [] },
        },
      }),
    ).toBe('changed status from New to On hold; set assignee to Ada; removed tags vip')
  })

  it('names the tags that were added and removed', () => {
    expect(
      describeEvent({
        id: 'e5',
        at: at(0),
        actor: null,
        action: 'ticket.updated',
        changes: { tags: { from: ['vip', 'billing'], to: ['billing', 'urgent', 'open'] } },
      }),
    ).toBe('added tags urgent, open; removed tags vip')
  })

  it('says what happened before what it changed', () => {
    expect(
      describeEvent({
        id: 'e2',
        at: at(0),
        actor: null,
        action: 'reply.added',
        changes: { status: { from: 'new', to: 'open' } },
      }),
    ).toBe('replied; changed status from New to Open')
    expect(
      describeEvent({ id: 'e3', at: at(0), actor: null, action: 'ticket.created', changes: {} }),
    ).toBe('opened the ticket')
    expect(
      describeEvent({ id: 'e4', at: at(0), actor: null, action: 'sla.breached', changes: {} }),
    ).toBe('sla breached')
  })
})

describe('SLA hours', () => {
  it('turns hours into whole minutes and rejects what is not a positive duration', () => {
    expect(parseHours('1.5')).toBe(90)
    expect(parseHours('0,25')).toBe(15)
    expect(parseHours('0')).toMatch(/above 0/)
    expect(parseHours('soon')).toMatch(/number of hours/)
    expect(parseHours('99999')).toMatch(/at most a year/)
  })
})

describe('after sign-in', () => {
  it('follows only paths of this app', () => {
    expect(safeNextPath('/tickets/42?queue=mine')).toBe('/tickets/42?queue=mine')
    for (const hostile of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '',
      null,
    ]) {
      expect(safeNextPath(hostile)).toBeUndefined()
    }
  })
})

describe('routes', () => {
  it('matches patterns and decodes parameters', () => {
    expect(matchPath('/tickets/:id', '/tickets/a%2Fb')).toEqual({ id: 'a/b' })
    expect(matchPath('/tickets/:id', '/tickets')).toBeNull()
    expect(matchPath('/requests/new', '/requests/new/')).toEqual({})
    expect(matchPath('/admin/:section', '/admin/users/extra')).toBeNull()
  })
})

describe('attachments', () => {
  it('explains a file over the limit before anything is uploaded', () => {
    const big = new File([new Uint8Array(3 * 1024 * 1024)], 'scan.pdf')
    expect(attachmentProblem(big, 2 * 1024 * 1024)).toBe(
      'scan.pdf is 3.0 MB; files can be at most 2.0 MB.',
    )
    expect(attachmentProblem(new File([], 'empty.txt'), 1024)).toBe('empty.txt is empty.')
    expect(attachmentProblem(new File(['hi'], 'ok.txt'), 1024)).toBeUndefined()
  })
})

describe('API errors', () => {
  it('carry the problem document and find field messages by path', () => {
    const error = new ApiError(400, {
      type: 'validation_error',
      title: 'Invalid input',
      detail: 'subject is required',
      errors: [{ path: 'body.subject', message: 'Required' }],
      requestId: 'r1',
    })
    expect(error.message).toBe('subject is required')
    expect(error.type).toBe('validation_error')
    // The API's terse words become a sentence at the field.
    expect(error.fieldMessage('subject')).toBe('Required.')
    expect(error.fieldMessage('body')).toBeUndefined()
    expect(error.beyondFields(['subject'])).toBeNull()
    expect(error.beyondFields([])?.message).toBe('Subject: required.')
  })

  it('explain answers that are not problem documents', () => {
    expect(new ApiError(502, undefined).message).toMatch(/server had a problem/)
    expect(new ApiError(0, {}).type).toBe('network_error')
    expect(new ApiError(413, '<html>').message).toBe('The upload is too large.')
  })
})

describe('formatting', () => {
  it('reads sizes and API words naturally', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB')
    expect(humanize('on_hold')).toBe('On hold')
  })
})
