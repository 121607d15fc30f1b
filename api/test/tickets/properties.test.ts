// Property tests (fast-check) against the real API: whatever a client sends to the ticket
// endpoints that create or change data — and to the list with its filters and cursors — the
// answer is never a 5xx, and what was accepted is what gets stored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { ApiClient, TestUser } from '../support/accounts.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
const clients: Record<'customer' | 'agent' | 'admin', ApiClient> = {} as never
const users: Record<'customer' | 'agent' | 'admin', TestUser> = {} as never
let ticketId: string
let teamId: string

const RUNS = 60

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment(), {
    rateLimits: { global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' } },
  })
  for (const role of ['customer', 'agent', 'admin'] as const) {
    users[role] = await createTestUser(api, { role })
    clients[role] = await signIn(api, users[role])
  }
  const created = await clients.customer.post('/tickets', { subject: 'Seed', body: 'Seed' })
  ticketId = (created.body as { id: string }).id
  teamId = ((await clients.admin.post('/teams', { name: 'Properties' })).body as { id: string }).id
})
afterAll(() => api.close())

/** Any text at all: control characters, NUL, lone surrogates, very long. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  fc.constantFrom('', ' ', '\u0000', 'a\nb', 'x'.repeat(201), '<script>alert(1)</script>'),
)
const anyValue = fc.oneof(
  anyText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyText, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
)
const someId = () =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        users.agent.id,
        users.customer.id,
        users.admin.id,
        teamId,
        ticketId,
      ),
    },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: anyText },
  )
const role = fc.constantFrom('customer' as const, 'agent' as const, 'admin' as const)

/** Mostly a field's valid value, now and then anything. */
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: anyValue })
const status = fc.constantFrom('new', 'open', 'pending', 'on_hold', 'solved', 'closed')
const priority = fc.constantFrom('low', 'normal', 'high', 'urgent')
const tags = fc.array(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom('billing', 'VIP', 'a-b', 'été') }, anyText),
  { maxLength: 4 },
)

const bodyOf = <T>(record: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 8, arbitrary: record },
    { weight: 1, arbitrary: fc.record({ extra: anyValue }) },
    { weight: 1, arbitrary: anyValue },
  )

const noServerError = (answer: { status: number; body: unknown }) =>
  expect({ status: answer.status < 500 ? 'below 500' : answer.status, body: answer.body }).toEqual({
    status: 'below 500',
    body: answer.body,
  })

describe('ticket endpoints under arbitrary input', () => {
  it('POST /tickets never fails, and stores what it accepted', async () => {
    const input = bodyOf(
      fc.record(
        {
          subject: field(fc.string({ minLength: 1, maxLength: 200 })),
          body: field(fc.string({ minLength: 1, maxLength: 500 })),
          priority: field(priority),
          tags: field(tags),
          requesterId: field(someId()),
        },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(role, input, async (who, body) => {
        const answer = await clients[who].post('/tickets', body)
        noServerError(answer)
        if (answer.status === 201) {
          const created = answer.body as { id: string; subject: string }
          const read = await clients[who].get(`/tickets/${created.id}`)
          expect(read.body).toEqual(created)
          expect(created.subject).toBe((body as { subject: string }).subject.trim())
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('PATCH /tickets/:id never fails, and a success is what GET answers', async () => {
    const input = bodyOf(
      fc.record(
        {
          subject: field(fc.string({ minLength: 1, maxLength: 200 })),
          status: field(status),
          priority: field(priority),
          assigneeId: field(fc.oneof(someId(), fc.constant(null))),
          teamId: field(fc.oneof(someId(), fc.constant(null))),
          tags: field(tags),
        },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(role, input, async (who, body) => {
        const answer = await clients[who].patch(`/tickets/${ticketId}`, body)
        noServerError(answer)
        if (answer.status === 200) {
          expect((await clients[who].get(`/tickets/${ticketId}`)).body).toEqual(answer.body)
        }
        // Whatever happened, the ticket stays readable and well-formed.
        expect((await clients.agent.get(`/tickets/${ticketId}`)).status).toBe(200)
      }),
      { numRuns: RUNS },
    )
  })

  it('POST /tickets/bulk never fails, and each ticket it changed is as asked', async () => {
    const ticketIds = fc.array(
      fc.oneof({ weight: 4, arbitrary: fc.constant(ticketId) }, { weight: 1, arbitrary: someId() }),
      { maxLength: 5 },
    )
    const change = fc.record(
      {
        status: field(status),
        priority: field(priority),
        assigneeId: field(fc.oneof(someId(), fc.constant(null))),
        teamId: field(fc.oneof(someId(), fc.constant(null))),
        addTags: field(tags),
        removeTags: field(tags),
      },
      { requiredKeys: [] },
    )
    const input = bodyOf(fc.record({ ticketIds: field(ticketIds), change: field(change) }))
    await fc.assert(
      fc.asyncProperty(role, input, async (who, body) => {
        const answer = await clients[who].post('/tickets/bulk', body)
        noServerError(answer)
        if (answer.status !== 200) return
        const { results } = answer.body as { results: { ticketId: string; outcome: string }[] }
        const asked = body as { change: { priority?: string; status?: string } }
        for (const { ticketId: id, outcome } of results) {
          if (outcome === 'failed') continue
          const now = (await clients.agent.get(`/tickets/${id}`)).body as Record<string, unknown>
          if (asked.change.priority) expect(now.priority).toBe(asked.change.priority)
          if (asked.change.status) expect(now.status).toBe(asked.change.status)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('POST /tickets/:id/messages never fails', async () => {
    const input = bodyOf(
      fc.record(
        { body: field(fc.string({ minLength: 1, maxLength: 500 })), internal: field(fc.boolean()) },
        { requiredKeys: [] },
      ),
    )
    const fresh = await clients.customer.post('/tickets', { subject: 'Talk', body: 'Talk' })
    const id = (fresh.body as { id: string }).id
    await fc.assert(
      fc.asyncProperty(role, input, async (who, body) => {
        const answer = await clients[who].post(`/tickets/${id}/messages`, body)
        noServerError(answer)
        if (answer.status === 201 && who === 'customer') {
          expect((answer.body as { internal: boolean }).internal).toBe(false)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('GET /tickets never fails, whatever the filters, sort and cursor', async () => {
    const cursors: string[] = []
    for (const sort of ['updated', 'created', 'priority', 'due']) {
      const page = await clients.agent.get(`/tickets?limit=1&sort=${sort}`)
      cursors.push((page.body as { nextCursor: string }).nextCursor)
    }
    const cursor = fc.oneof(
      fc.constantFrom(...cursors),
      anyText,
      fc.constantFrom(
        Buffer.from(
          JSON.stringify(['updated', '2026-13-45 99:99:99+00', crypto.randomUUID()]),
        ).toString('base64url'),
        Buffer.from(JSON.stringify(['due', 'infinity', crypto.randomUUID()])).toString('base64url'),
        Buffer.from(JSON.stringify(['relevance', '1e-40', crypto.randomUUID()])).toString(
          'base64url',
        ),
        Buffer.from(JSON.stringify(['priority', '9', 'x'])).toString('base64url'),
      ),
    )
    const parameters: Record<string, fc.Arbitrary<string>> = {
      status: fc.oneof(fc.constantFrom('new,open', 'pending', 'open,,new'), anyText),
      priority: fc.oneof(priority, anyText),
      assigneeId: fc.oneof(fc.constantFrom('me', 'none'), someId()),
      requesterId: someId(),
      teamId: someId(),
      tag: fc.oneof(fc.constantFrom('billing', 'vip'), anyText),
      q: fc.oneof(fc.constantFrom('printer', 'seed talk', '"exact phrase" -not or'), anyText),
      sort: fc.oneof(fc.constantFrom('updated', 'created', 'priority', 'due'), anyText),
      limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), anyText),
      cursor,
    }
    // A few parameters at a time, as clients send them.
    const query = fc
      .shuffledSubarray(Object.keys(parameters), { maxLength: 3 })
      .chain((names) =>
        fc.record(
          Object.fromEntries(names.map((name) => [name, parameters[name] as fc.Arbitrary<string>])),
        ),
      )
    await fc.assert(
      fc.asyncProperty(role, query, fc.boolean(), async (who, chosen, counting) => {
        const search = new URLSearchParams(chosen).toString()
        const path = counting ? '/tickets/count' : '/tickets'
        noServerError(await clients[who].get(`${path}?${search}`))
      }),
      { numRuns: RUNS * 2 },
    )
  })
})
