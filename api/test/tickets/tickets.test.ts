// Tickets over real HTTP against Postgres and Redis: creation, numbers under concurrency,
// updates and their history, conversation rules, SLA due times and the breach job.
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ApiClient, TestUser } from '../support/accounts.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'
import { openEvents } from '../support/events.ts'
import { until } from '../support/wait.ts'

interface Ticket {
  id: string
  number: number
  subject: string
  status: string
  priority: string
  requester: { id: string; name: string }
  assignee: { id: string; name: string } | null
  team: { id: string; name: string } | null
  tags: string[]
  createdAt: string
  updatedAt: string
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  slaBreached: boolean
}

interface Page<T> {
  items: T[]
  nextCursor: string | null
}

let api: TestApp
let customer: { user: TestUser; client: ApiClient }
let otherCustomer: { user: TestUser; client: ApiClient }
let agent: { user: TestUser; client: ApiClient }
let admin: { user: TestUser; client: ApiClient }

async function signedIn(role: 'customer' | 'agent' | 'admin') {
  const user = await createTestUser(api, { role })
  return { user, client: await signIn(api, user) }
}

async function fileTicket(client: ApiClient, input: Record<string, unknown> = {}) {
  const answer = await client.post('/tickets', {
    subject: 'Printer on fire',
    body: 'It started smoking after the update.',
    ...input,
  })
  expect(answer.status).toBe(201)
  return answer.body as Ticket
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment(), {
    rateLimits: { global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' } },
  })
  ;[customer, otherCustomer, agent, admin] = await Promise.all([
    signedIn('customer'),
    signedIn('customer'),
    signedIn('agent'),
    signedIn('admin'),
  ])
})
afterAll(() => api.close())

describe('creating tickets', () => {
  it('files a ticket for the customer with its first message, history and SLA due times', async () => {
    const ticket = await fileTicket(customer.client, {
      priority: 'high',
      tags: ['Billing', 'billing', 'vip'],
    })
    expect(ticket).toMatchObject({
      subject: 'Printer on fire',
      status: 'new',
      priority: 'high',
      requester: { id: customer.user.id, name: customer.user.name },
      assignee: null,
      team: null,
      tags: ['billing', 'vip'],
      slaBreached: false,
    })
    // The migration's defaults for high: 4 h to first response, 24 h to resolution.
    expect(minutesBetween(ticket.createdAt, ticket.firstResponseDueAt as string)).toBe(240)
    expect(minutesBetween(ticket.createdAt, ticket.resolutionDueAt as string)).toBe(1440)
    const messages = await customer.client.get(`/tickets/${ticket.id}/messages`)
    expect(messages.body).toMatchObject({
      items: [
        {
          author: { id: customer.user.id },
          body: 'It started smoking after the update.',
          internal: false,
          attachments: [],
        },
      ],
      nextCursor: null,
    })
    const events = await agent.client.get(`/tickets/${ticket.id}/events`)
    expect(events.body).toMatchObject({
      items: [{ action: 'ticket.created', actor: { id: customer.user.id }, changes: {} }],
    })
  })

  it('numbers tickets uniquely and in creation order, also when created at once', async () => {
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        fileTicket(index % 2 ? customer.client : agent.client, { subject: `Parallel ${index}` }),
      ),
    )
    const numbers = created.map((ticket) => ticket.number).sort((a, b) => a - b)
    expect(new Set(numbers).size).toBe(30)
    expect((numbers.at(-1) as number) - (numbers[0] as number)).toBe(29)
    const later = await fileTicket(customer.client)
    expect(later.number).toBeGreaterThan(numbers.at(-1) as number)
  })

  it('lets staff file for someone else, and only staff', async () => {
    const forCustomer = await fileTicket(agent.client, { requesterId: customer.user.id })
    expect(forCustomer.requester.id).toBe(customer.user.id)
    const refused = await customer.client.post('/tickets', {
      subject: 'For my colleague',
      body: 'Please',
      requesterId: otherCustomer.user.id,
    })
    expect(refused.status).toBe(403)
    const unknown = await agent.client.post('/tickets', {
      subject: 'For nobody',
      body: 'Please',
      requesterId: crypto.randomUUID(),
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body).toMatchObject({ errors: [{ path: 'body.requesterId' }] })
  })

  it('refuses bad input with field paths and never stores it', async () => {
    const cases: [unknown, string][] = [
      [{ subject: '', body: 'x' }, 'body.subject'],
      [{ subject: 'a\nb', body: 'x' }, 'body.subject'],
      [{ subject: 'ok', body: '   ' }, 'body.body'],
      [{ subject: 'ok', body: 'nul \u0000 inside' }, 'body.body'],
      [{ subject: 'ok', body: 'x', priority: 'critical' }, 'body.priority'],
      [{ subject: 'ok', body: 'x', tags: ['two words'] }, 'body.tags.0'],
      [{ subject: 'ok', body: 'x', extra: true }, 'body'],
    ]
    for (const [body, path] of cases) {
      const answer = await customer.client.post('/tickets', body)
      expect({ body, status: answer.status }).toEqual({ body, status: 400 })
      expect((answer.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
        path,
      )
    }
  })
})

describe('updating tickets', () => {
  it('records every change as an event with who, from and to', async () => {
    const ticket = await fileTicket(customer.client)
    const team = await admin.client.post('/teams', { name: `Hardware ${crypto.randomUUID()}` })
    const teamId = (team.body as { id: string }).id
    const changed = await agent.client.patch(`/tickets/${ticket.id}`, {
      status: 'open',
      priority: 'urgent',
      assigneeId: agent.user.id,
      teamId,
      tags: ['printer'],
      subject: 'Printer on fire (2nd floor)',
    })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({
      status: 'open',
      priority: 'urgent',
      assignee: { id: agent.user.id, name: agent.user.name },
      team: { id: teamId },
      tags: ['printer'],
      subject: 'Printer on fire (2nd floor)',
    })
    const events = (await agent.client.get(`/tickets/${ticket.id}/events`)).body as Page<{
      action: string
      actor: { id: string }
      changes: Record<string, { from: unknown; to: unknown }>
    }>
    expect(events.items.at(-1)).toMatchObject({
      action: 'ticket.updated',
      actor: { id: agent.user.id },
      changes: {
        status: { from: 'new', to: 'open' },
        priority: { from: 'normal', to: 'urgent' },
        assignee: { from: null, to: { id: agent.user.id, name: agent.user.name } },
        team: { from: null, to: { id: teamId } },
        tags: { from: [], to: ['printer'] },
        subject: { from: 'Printer on fire', to: 'Printer on fire (2nd floor)' },
      },
    })
    // Nothing changes: no event.
    await agent.client.patch(`/tickets/${ticket.id}`, { status: 'open' })
    const after = (await agent.client.get(`/tickets/${ticket.id}/events`)).body as Page<unknown>
    expect(after.items).toHaveLength(events.items.length)
  })

  it('refuses assignees who are not staff and teams that do not exist', async () => {
    const ticket = await fileTicket(customer.client)
    const toCustomer = await agent.client.patch(`/tickets/${ticket.id}`, {
      assigneeId: customer.user.id,
    })
    expect(toCustomer.status).toBe(422)
    expect(toCustomer.body).toMatchObject({ errors: [{ path: 'body.assigneeId' }] })
    const toNoTeam = await agent.client.patch(`/tickets/${ticket.id}`, {
      teamId: crypto.randomUUID(),
    })
    expect(toNoTeam.status).toBe(422)
    expect((await agent.client.get(`/tickets/${ticket.id}`)).body).toMatchObject({
      assignee: null,
      team: null,
    })
  })

  it('lets the requester only solve or reopen, and hides other tickets from them', async () => {
    const ticket = await fileTicket(customer.client)
    const path = `/tickets/${ticket.id}`
    expect((await customer.client.patch(path, { priority: 'urgent' })).status).toBe(403)
    expect((await customer.client.patch(path, { status: 'pending' })).status).toBe(403)
    expect((await customer.client.patch(path, { status: 'solved' })).body).toMatchObject({
      status: 'solved',
    })
    expect((await customer.client.patch(path, { status: 'open' })).body).toMatchObject({
      status: 'open',
    })
    expect((await otherCustomer.client.patch(path, { status: 'solved' })).status).toBe(404)
    expect((await otherCustomer.client.get(path)).status).toBe(404)
    await agent.client.patch(path, { status: 'closed' })
    expect((await customer.client.patch(path, { status: 'open' })).status).toBe(403)
  })

  it('answers 404 for unknown tickets and 400 for ids that are not ids', async () => {
    expect((await agent.client.get(`/tickets/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await agent.client.get('/tickets/42')).status).toBe(400)
    expect((await agent.client.patch(`/tickets/${crypto.randomUUID()}`, {})).status).toBe(404)
  })
})

describe('the conversation', () => {
  it('hides internal notes (and their history) from the requester', async () => {
    const ticket = await fileTicket(customer.client)
    const path = `/tickets/${ticket.id}/messages`
    const note = await agent.client.post(path, { body: 'Check the fuser', internal: true })
    expect(note.status).toBe(201)
    expect(note.body).toMatchObject({ internal: true, author: { id: agent.user.id } })
    await agent.client.post(path, { body: 'We are on it.' })
    const forCustomer = (await customer.client.get(path)).body as Page<{ body: string }>
    expect(forCustomer.items.map((message) => message.body)).toEqual([
      'It started smoking after the update.',
      'We are on it.',
    ])
    const forAgent = (await agent.client.get(path)).body as Page<{ body: string }>
    expect(forAgent.items).toHaveLength(3)
    const history = (await customer.client.get(`/tickets/${ticket.id}/events`)).body as Page<{
      action: string
    }>
    expect(history.items.map((event) => event.action)).toEqual(['ticket.created', 'reply.added'])
    expect((await customer.client.post(path, { body: 'psst', internal: true })).status).toBe(403)
  })

  it('opens a new ticket on the first staff reply, reopens on the requester’s reply', async () => {
    const ticket = await fileTicket(customer.client)
    const path = `/tickets/${ticket.id}`
    await agent.client.post(`${path}/messages`, { body: 'Hello' })
    const answered = (await agent.client.get(path)).body as Ticket
    expect(answered.status).toBe('open')
    expect(answered.firstResponseDueAt).toBeNull()
    await agent.client.patch(path, { status: 'pending' })
    await customer.client.post(`${path}/messages`, { body: 'Here is the log' })
    expect(((await agent.client.get(path)).body as Ticket).status).toBe('open')
  })

  it('pages through a long conversation oldest first', async () => {
    const ticket = await fileTicket(customer.client)
    for (let index = 0; index < 6; index++) {
      await agent.client.post(`/tickets/${ticket.id}/messages`, { body: `reply ${index}` })
    }
    const bodies: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await agent.client.get(`/tickets/${ticket.id}/messages?limit=3${query}`))
        .body as Page<{ body: string }>
      bodies.push(...page.items.map((message) => message.body))
      cursor = page.nextCursor
    } while (cursor)
    expect(bodies).toEqual([
      'It started smoking after the update.',
      ...Array.from({ length: 6 }, (_, index) => `reply ${index}`),
    ])
  })

  it('takes no messages on a closed ticket', async () => {
    const ticket = await fileTicket(customer.client)
    await agent.client.patch(`/tickets/${ticket.id}`, { status: 'closed' })
    const answer = await agent.client.post(`/tickets/${ticket.id}/messages`, { body: 'late' })
    expect(answer.status).toBe(409)
  })

  it('returns Markdown with HTML in it as the text it is, in JSON', async () => {
    const ticket = await fileTicket(customer.client, {
      body: '**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>',
    })
    const response = await customer.client.fetch(`/tickets/${ticket.id}/messages`)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const page = (await response.json()) as Page<{ body: string }>
    expect(page.items[0]?.body).toBe(
      '**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>',
    )
  })
})

describe('SLA due times', () => {
  it('pauses the resolution clock while pending and resumes it', async () => {
    // Urgent is not offered to customers by default: an agent files it for them.
    const ticket = await fileTicket(agent.client, {
      priority: 'urgent',
      requesterId: customer.user.id,
    })
    const path = `/tickets/${ticket.id}`
    const pending = (await agent.client.patch(path, { status: 'pending' })).body as Ticket
    expect(pending.resolutionDueAt).toBeNull()
    await sleep(1100)
    const resumed = (await agent.client.patch(path, { status: 'open' })).body as Ticket
    const shift =
      Date.parse(resumed.resolutionDueAt as string) - Date.parse(ticket.resolutionDueAt as string)
    expect(shift).toBeGreaterThanOrEqual(1000)
    // Priority changes recompute the targets from creation.
    const lowered = (await agent.client.patch(path, { priority: 'low' })).body as Ticket
    expect(minutesBetween(ticket.createdAt, lowered.firstResponseDueAt as string)).toBe(1440)
  })

  it('lets admins change the targets, which new tickets then use', async () => {
    const current = await agent.client.get('/sla-policies')
    expect(current.status).toBe(200)
    const items = (current.body as Page<{ priority: string }>).items
    expect(items.map((item) => item.priority)).toEqual(['low', 'normal', 'high', 'urgent'])
    const next = items.map((item) =>
      item.priority === 'normal'
        ? { ...item, firstResponseMinutes: 15, resolutionMinutes: 90 }
        : item,
    )
    expect((await agent.client.put('/sla-policies', { items: next })).status).toBe(403)
    const saved = await admin.client.put('/sla-policies', { items: next })
    expect(saved.status).toBe(200)
    expect((saved.body as Page<unknown>).items).toEqual(next)
    expect(((await admin.client.get('/sla-policies')).body as Page<unknown>).items).toEqual(next)
    expect((await admin.client.put('/sla-policies', { items: next.slice(1) })).status).toBe(400)
    const ticket = await fileTicket(customer.client)
    expect(minutesBetween(ticket.createdAt, ticket.firstResponseDueAt as string)).toBe(15)
    const audit = await admin.client.get('/audit-events?action=sla_policies.updated')
    expect((audit.body as Page<unknown>).items).toHaveLength(1)
  })

  it('flags breached tickets from the background job, once, with an event, live', async () => {
    const ticket = await fileTicket(customer.client)
    const stream = await openEvents(agent.client)
    expect((await stream.next()).event).toBe('ready')
    await api.app.services.orm.em
      .fork()
      .execute(
        `update tickets set first_response_due_at = now() - interval '1 minute' where id = ?`,
        [ticket.id],
      )
    await api.app.services.orm.em
      .fork()
      .execute(`update jobs set run_at = now() where kind = 'sla.breach-check'`)
    // The worker claims the due job at its next poll, however long that takes here.
    await until(
      async () => ((await agent.client.get(`/tickets/${ticket.id}`)).body as Ticket).slaBreached,
    )
    const events = (await agent.client.get(`/tickets/${ticket.id}/events`)).body as Page<{
      action: string
      actor: unknown
    }>
    expect(events.items.filter((event) => event.action === 'sla.breached')).toEqual([
      expect.objectContaining({ actor: null }),
    ])
    // An agent's open queue hears of it once the job's transaction has committed.
    await stream.nextOf('ticket.changed', (data) => data.ticketId === ticket.id)
    stream.close()
  })
})

describe('lists', () => {
  let team: string
  const mine: Ticket[] = []

  beforeAll(async () => {
    team = (
      (await admin.client.post('/teams', { name: `Lists ${crypto.randomUUID()}` })).body as {
        id: string
      }
    ).id
    const requester = await signedIn('customer')
    for (let index = 0; index < 12; index++) {
      // Filed for them by an agent: customers may not choose urgent by default.
      const ticket = await fileTicket(agent.client, {
        requesterId: requester.user.id,
        subject: `List ticket ${index}`,
        priority: (['low', 'normal', 'high', 'urgent'] as const)[index % 4],
        tags: index % 3 === 0 ? ['listed'] : [],
      })
      await agent.client.patch(`/tickets/${ticket.id}`, {
        teamId: team,
        ...(index % 2 ? { assigneeId: agent.user.id } : {}),
        ...(index % 5 === 0 ? { status: 'pending' } : {}),
      })
      mine.push(ticket)
    }
  })

  async function everyPage(query: string, limit = 5, from?: string): Promise<Ticket[]> {
    const seen: Ticket[] = []
    let cursor: string | null = from ?? null
    do {
      const after: string = cursor ? `&cursor=${cursor}` : ''
      const page = await agent.client.get(`/tickets?teamId=${team}&limit=${limit}${query}${after}`)
      expect(page.status).toBe(200)
      const body = page.body as Page<Ticket>
      seen.push(...body.items)
      cursor = body.nextCursor
    } while (cursor)
    return seen
  }

  it('pages through every sort in order, each ticket once', async () => {
    const orders: [string, (a: Ticket, b: Ticket) => number][] = [
      ['', (a, b) => b.updatedAt.localeCompare(a.updatedAt)],
      ['&sort=created', (a, b) => b.createdAt.localeCompare(a.createdAt)],
      ['&sort=priority', (a, b) => rank(b.priority) - rank(a.priority)],
      ['&sort=due', (a, b) => due(a) - due(b)],
    ]
    for (const [query, order] of orders) {
      const seen = await everyPage(query)
      expect(seen.map((ticket) => ticket.id).sort()).toEqual(mine.map((ticket) => ticket.id).sort())
      for (let index = 1; index < seen.length; index++) {
        expect(order(seen[index - 1] as Ticket, seen[index] as Ticket)).toBeLessThanOrEqual(0)
      }
    }
  })

  it('stays stable while tickets are added between pages', async () => {
    const first = (await agent.client.get(`/tickets?teamId=${team}&limit=4&sort=created`))
      .body as Page<Ticket>
    const intruder = await fileTicket(customer.client, { subject: 'Arrived meanwhile' })
    await agent.client.patch(`/tickets/${intruder.id}`, { teamId: team })
    const rest = await everyPage('&sort=created', 4, first.nextCursor as string)
    const ids = [...first.items, ...rest].map((ticket) => ticket.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).not.toContain(intruder.id)
    expect(ids.sort()).toEqual(mine.map((ticket) => ticket.id).sort())
  })

  it('filters by comma lists, me and none, tag and team, and counts the same', async () => {
    const cases: [string, (ticket: Ticket) => boolean][] = [
      ['&status=pending', (ticket) => ticket.status === 'pending'],
      ['&priority=high,urgent', (ticket) => ['high', 'urgent'].includes(ticket.priority)],
      ['&assigneeId=me', (ticket) => ticket.assignee?.id === agent.user.id],
      ['&assigneeId=none', (ticket) => ticket.assignee === null],
      ['&tag=listed', (ticket) => ticket.tags.includes('listed')],
    ]
    const all = await everyPage('')
    for (const [query, keep] of cases) {
      const found = await everyPage(query)
      const expected = all
        .filter(keep)
        .map((ticket) => ticket.id)
        .sort()
      expect({ query, ids: found.map((ticket) => ticket.id).sort() }).toEqual({
        query,
        ids: expected,
      })
      const count = await agent.client.get(`/tickets/count?teamId=${team}${query}`)
      expect({ query, count: count.body }).toEqual({ query, count: { count: expected.length } })
    }
    expect((await agent.client.get('/tickets?status=new,bogus')).status).toBe(400)
    expect((await agent.client.get('/tickets?cursor=bm90LWEtY3Vyc29y')).status).toBe(400)
  })

  it('shows customers only their own tickets, whatever they filter by', async () => {
    const theirs = (await otherCustomer.client.get(`/tickets?teamId=${team}`)).body as Page<Ticket>
    expect(theirs.items).toEqual([])
    const own = (await customer.client.get('/tickets?limit=100')).body as Page<Ticket>
    expect(own.items.every((ticket) => ticket.requester.id === customer.user.id)).toBe(true)
  })
})

describe('search', () => {
  it('finds words of the subject and the messages, best matches first', async () => {
    const word = `zq${crypto.randomUUID().slice(0, 8)}`
    const inBody = await fileTicket(customer.client, {
      subject: 'Something else',
      body: `The ${word} module crashed.`,
    })
    const inSubject = await fileTicket(customer.client, { subject: `${word} crashes daily` })
    const found = (await agent.client.get(`/tickets?q=${word}`)).body as Page<Ticket>
    expect(found.items.map((ticket) => ticket.id)).toEqual([inSubject.id, inBody.id])
    const byDate = (await agent.client.get(`/tickets?q=${word}&sort=created`)).body as Page<Ticket>
    expect(byDate.items.map((ticket) => ticket.id)).toEqual([inSubject.id, inBody.id])
    expect((await agent.client.get(`/tickets/count?q=${word}`)).body).toEqual({ count: 2 })
    await agent.client.post(`/tickets/${inBody.id}/messages`, { body: `reply mentions ${word}x` })
    const stemmed = (await agent.client.get(`/tickets?q=crash`)).body as Page<Ticket>
    expect(stemmed.items.map((ticket) => ticket.id)).toEqual(
      expect.arrayContaining([inSubject.id, inBody.id]),
    )
  })

  it('never lets an internal note make a customer’s ticket match', async () => {
    const secret = `zs${crypto.randomUUID().slice(0, 8)}`
    const ticket = await fileTicket(customer.client, { subject: 'Plain', body: 'Plain' })
    await agent.client.post(`/tickets/${ticket.id}/messages`, { body: secret, internal: true })
    const asAgent = (await agent.client.get(`/tickets?q=${secret}`)).body as Page<Ticket>
    expect(asAgent.items.map((found) => found.id)).toEqual([ticket.id])
    const asCustomer = (await customer.client.get(`/tickets?q=${secret}`)).body as Page<Ticket>
    expect(asCustomer.items).toEqual([])
    expect((await customer.client.get(`/tickets/count?q=${secret}`)).body).toEqual({ count: 0 })
  })
})

const rank = (priority: string) => ['low', 'normal', 'high', 'urgent'].indexOf(priority)
const due = (ticket: Ticket) =>
  Math.min(
    ...[ticket.firstResponseDueAt, ticket.resolutionDueAt].map((value) =>
      value ? Date.parse(value) : Number.POSITIVE_INFINITY,
    ),
  )
