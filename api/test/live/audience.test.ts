// Who hears what (pure): the ticket policy decides, internal notes are staff's alone, and
// presence is staff's among themselves.
import { describe, expect, it } from '@jest/globals'
import type { Actor } from '../../src/http/actor.ts'
import { mayHear, mayHearPresence } from '../../src/live/audience.ts'
import type { TicketNews } from '../../src/live/news.ts'
import { MemoryEventBus } from '../../src/platform/event-bus.ts'

const CUSTOMER = '00000000-0000-4000-8000-000000000001'
const OTHER = '00000000-0000-4000-8000-000000000002'
const TICKET = '00000000-0000-4000-8000-0000000000aa'
const MESSAGE = '00000000-0000-4000-8000-0000000000bb'

const actor = (role: string, userId = OTHER): Actor => ({
  userId,
  role,
  via: 'session',
  permissions: new Set(),
})

const reply: TicketNews = {
  kind: 'message.added',
  ticketId: TICKET,
  requesterId: CUSTOMER,
  messageId: MESSAGE,
  internal: false,
}
const note: TicketNews = { ...reply, internal: true }
const created: TicketNews = { kind: 'ticket.created', ticketId: TICKET, requesterId: CUSTOMER }

describe('the audience of live news', () => {
  it.each([
    ['the requester', actor('customer', CUSTOMER), [true, false, true]],
    ['another customer', actor('customer'), [false, false, false]],
    ['an agent', actor('agent'), [true, true, true]],
    ['an admin', actor('admin'), [true, true, true]],
    ['an actor without a known role', actor('auditor'), [false, false, false]],
  ])('%s hears a reply, a note, a new ticket: %j', (_who, subject, expected) => {
    expect([reply, note, created].map((news) => mayHear(subject, news))).toEqual(expected)
  })
})

describe('the audience of presence', () => {
  const viewing = {
    kind: 'presence' as const,
    ticketId: TICKET,
    userId: OTHER,
    name: 'Ada',
    state: 'viewing' as const,
  }
  it.each([
    ['the ticket’s requester', actor('customer', CUSTOMER), false],
    ['an agent', actor('agent', CUSTOMER), true],
    ['an admin', actor('admin', CUSTOMER), true],
    ['the person it is about', actor('agent', OTHER), false],
    ['an actor without a known role', actor('auditor', CUSTOMER), false],
  ])('%s hears it: %j', (_who, subject, expected) => {
    expect(mayHearPresence(subject, viewing)).toBe(expected)
  })
})

describe('the in-process bus', () => {
  it('replays what it holds after an id, and says so when some of it is gone', async () => {
    const bus = new MemoryEventBus(2)
    expect(await bus.replay()).toEqual({ latest: 0, events: [] })
    await bus.publish([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(await bus.replay()).toEqual({ latest: 3, events: [] })
    expect(await bus.replay(3)).toEqual({ latest: 3, events: [] })
    expect(await bus.replay(1)).toEqual({
      latest: 3,
      events: [
        { id: 2, payload: { n: 2 } },
        { id: 3, payload: { n: 3 } },
      ],
    })
    // Event 1 is no longer held: a client that saw none of them must refetch everything.
    expect(await bus.replay(0)).toEqual({ latest: 3, events: null })
    // An id this bus never gave out (the counter started over).
    expect(await bus.replay(7)).toEqual({ latest: 3, events: null })
  })

  it('tells every subscriber, in order, until it unsubscribes', async () => {
    const bus = new MemoryEventBus()
    const heard: unknown[] = []
    const unsubscribe = bus.subscribe((signal) => heard.push(signal))
    await bus.publish([{ n: 1 }])
    await bus.publishPassing({ present: 'ada' })
    bus.sessionsChanged()
    unsubscribe()
    await bus.publish([{ n: 2 }])
    expect(heard).toEqual([
      { type: 'event', event: { id: 1, payload: { n: 1 } } },
      { type: 'passing', payload: { present: 'ada' } },
      { type: 'sessions-changed' },
    ])
    // Passing news takes no id and is kept for no one.
    expect(await bus.replay(0)).toEqual({
      latest: 2,
      events: [
        { id: 1, payload: { n: 1 } },
        { id: 2, payload: { n: 2 } },
      ],
    })
  })
})
