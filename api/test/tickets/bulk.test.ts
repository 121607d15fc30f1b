// One change to many tickets (POST /tickets/bulk) over real HTTP against Postgres and Redis:
// each ticket is changed as its own PATCH would change it (event, notifications, live news),
// in its own transaction, and one refused ticket does not hold back the others.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { type ApiClient, signedInAs, type TestUser } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'
import { openEvents } from '../support/events.ts'
import { until } from '../support/wait.ts'

interface Ticket {
  id: string
  status: string
  priority: string
  assignee: { id: string; name: string } | null
  team: { id: string; name: string } | null
  tags: string[]
}

interface BulkResult {
  updated: number
  unchanged: number
  failed: number
  results: {
    ticketId: string
    outcome: string
    error?: { type: string; status: number; detail?: string }
  }[]
}

let api: TestApp
let sql: pg.Pool
let customer: { user: TestUser; client: ApiClient }
let agent: { user: TestUser; client: ApiClient }
let colleague: { user: TestUser; client: ApiClient }
let admin: { user: TestUser; client: ApiClient }

beforeAll(async () => {
  const environment = await externalEnvironment()
  api = await startTestApp(environment)
  sql = new pg.Pool({ connectionString: environment.DATABASE_URL, max: 1 })
  ;[customer, agent, colleague, admin] = await Promise.all([
    signedInAs(api, { role: 'customer' }),
    signedInAs(api, { role: 'agent' }),
    signedInAs(api, { role: 'agent' }),
    signedInAs(api, { role: 'admin' }),
  ])
})
afterAll(async () => {
  await sql?.end()
  await api?.close()
})

async function newTickets(count: number, input: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = []
  for (let index = 0; index < count; index++) {
    const created = await customer.client.post('/tickets', {
      subject: `Printer ${index}`,
      body: 'It smokes.',
      ...input,
    })
    expect(created.status).toBe(201)
    ids.push((created.body as { id: string }).id)
  }
  return ids
}

async function ticket(id: string): Promise<Ticket> {
  return (await agent.client.get(`/tickets/${id}`)).body as Ticket
}

async function bulk(client: ApiClient, body: unknown) {
  return client.post('/tickets/bulk', body)
}

describe('a bulk change', () => {
  it('sets the priority and assignee of every ticket, one ticket.updated event each', async () => {
    const ids = await newTickets(3)
    const answer = await bulk(agent.client, {
      ticketIds: ids,
      change: { priority: 'high', assigneeId: agent.user.id },
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      updated: 3,
      unchanged: 0,
      failed: 0,
      results: ids.map((ticketId) => ({ ticketId, outcome: 'updated' })),
    })
    for (const id of ids) {
      expect(await ticket(id)).toMatchObject({
        priority: 'high',
        assignee: { id: agent.user.id },
      })
      const events = (await agent.client.get(`/tickets/${id}/events`)).body as {
        items: { action: string; actor: { id: string }; changes: object }[]
      }
      expect(events.items.at(-1)).toMatchObject({
        action: 'ticket.updated',
        actor: { id: agent.user.id },
        changes: {
          priority: { from: 'normal', to: 'high' },
          assignee: { from: null, to: { id: agent.user.id, name: agent.user.name } },
        },
      })
    }
  })

  it('sets status and team, and unassigns with null', async () => {
    const teamId = (
      (await admin.client.post('/teams', { name: `Bulk ${randomUUID()}` })).body as {
        id: string
      }
    ).id
    const ids = await newTickets(2)
    await bulk(agent.client, { ticketIds: ids, change: { assigneeId: colleague.user.id } })
    const answer = await bulk(agent.client, {
      ticketIds: ids,
      change: { status: 'pending', teamId, assigneeId: null },
    })
    expect((answer.body as BulkResult).updated).toBe(2)
    for (const id of ids) {
      expect(await ticket(id)).toMatchObject({
        status: 'pending',
        team: { id: teamId },
        assignee: null,
      })
    }
  })

  it('adds and removes tags, keeping each ticket’s others', async () => {
    const [first, second] = await newTickets(2)
    await agent.client.patch(`/tickets/${first}`, { tags: ['printer', 'floor-2'] })
    await agent.client.patch(`/tickets/${second}`, { tags: ['printer', 'vip'] })
    const answer = await bulk(agent.client, {
      ticketIds: [first, second],
      change: { addTags: ['Hardware'], removeTags: ['printer'] },
    })
    expect((answer.body as BulkResult).updated).toBe(2)
    expect((await ticket(first as string)).tags).toEqual(['floor-2', 'hardware'])
    expect((await ticket(second as string)).tags).toEqual(['vip', 'hardware'])
  })

  it('reports tickets that already were so as unchanged, writing no event', async () => {
    const ids = await newTickets(2)
    await agent.client.patch(`/tickets/${ids[0]}`, { priority: 'urgent' })
    const answer = await bulk(agent.client, { ticketIds: ids, change: { priority: 'urgent' } })
    expect(answer.body).toMatchObject({ updated: 1, unchanged: 1, failed: 0 })
    const events = (await agent.client.get(`/tickets/${ids[0]}/events`)).body as {
      items: unknown[]
    }
    expect(events.items).toHaveLength(2)
  })

  it('counts a repeated id once', async () => {
    const [id] = await newTickets(1)
    const answer = await bulk(agent.client, { ticketIds: [id, id], change: { priority: 'low' } })
    expect(answer.body).toMatchObject({ updated: 1, results: [{ ticketId: id }] })
  })
})

describe('per-ticket results', () => {
  it('changes the others when one ticket is gone and another would pass its tag limit', async () => {
    const [first, full, last] = await newTickets(3)
    const thirty = Array.from({ length: 30 }, (_, index) => `tag-${index}`)
    expect((await agent.client.patch(`/tickets/${full}`, { tags: thirty })).status).toBe(200)
    const gone = randomUUID()
    const answer = await bulk(agent.client, {
      ticketIds: [first, gone, full, last],
      change: { addTags: ['escalated'] },
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      updated: 2,
      unchanged: 0,
      failed: 2,
      results: [
        { ticketId: first, outcome: 'updated' },
        {
          ticketId: gone,
          outcome: 'failed',
          error: { type: 'not_found', status: 404, title: 'Not found', detail: 'no such ticket' },
        },
        {
          ticketId: full,
          outcome: 'failed',
          error: {
            type: 'unprocessable',
            status: 422,
            title: 'Semantically invalid input',
            detail: 'a ticket holds at most 30 tags',
          },
        },
        { ticketId: last, outcome: 'updated' },
      ],
    })
    expect((await ticket(first as string)).tags).toEqual(['escalated'])
    expect((await ticket(full as string)).tags).toEqual(thirty)
    expect((await ticket(last as string)).tags).toEqual(['escalated'])
  })

  it('waits for a ticket another transaction holds, then changes it too', async () => {
    const [held, free] = await newTickets(2)
    const lock = await sql.connect()
    try {
      await lock.query('begin')
      await lock.query('select 1 from tickets where id = $1 for update', [held])
      const pending = bulk(agent.client, { ticketIds: [free, held], change: { priority: 'low' } })
      // The free ticket commits on its own while the held one waits for the lock.
      await until(async () => (await ticket(free as string)).priority === 'low')
      expect((await ticket(held as string)).priority).toBe('normal')
      await lock.query('commit')
      expect(((await pending).body as BulkResult).updated).toBe(2)
    } finally {
      lock.release()
    }
  })
})

describe('what a bulk change sets off', () => {
  it('publishes ticket.changed for each ticket changed', async () => {
    const ids = await newTickets(2)
    const stream = await openEvents(colleague.client)
    expect((await stream.next()).event).toBe('ready')
    await bulk(agent.client, { ticketIds: ids, change: { status: 'open' } })
    for (const id of ids) {
      await stream.nextOf('ticket.changed', (data) => data.ticketId === id)
    }
    stream.close()
  })

  it('notifies the agent each ticket is assigned to, as a PATCH would', async () => {
    const ids = await newTickets(2)
    await bulk(agent.client, { ticketIds: ids, change: { assigneeId: colleague.user.id } })
    const rows = await sql.query(
      `select ticket_id from notification_queue where recipient_id = $1 and event = 'assigned'
       union all select ticket_id from outbound_mail where recipient_id = $1`,
      [colleague.user.id],
    )
    expect(rows.rows.map((row) => row.ticket_id)).toEqual(expect.arrayContaining(ids))
  })
})

describe('who may, and what is refused', () => {
  it('refuses customers before looking at any ticket', async () => {
    const [own] = await newTickets(1)
    const answer = await bulk(customer.client, { ticketIds: [own], change: { status: 'solved' } })
    expect(answer.status).toBe(403)
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(answer.body).toMatchObject({ type: 'forbidden' })
    expect((await ticket(own as string)).status).toBe('new')
  })

  it('refuses an assignee who is not staff, or a team that does not exist, changing nothing', async () => {
    const [id] = await newTickets(1)
    const customerAssignee = await bulk(agent.client, {
      ticketIds: [id],
      change: { priority: 'urgent', assigneeId: customer.user.id },
    })
    expect(customerAssignee.status).toBe(422)
    expect(customerAssignee.body).toMatchObject({
      type: 'unprocessable',
      errors: [{ path: 'body.change.assigneeId' }],
    })
    const noTeam = await bulk(agent.client, {
      ticketIds: [id],
      change: { priority: 'urgent', teamId: randomUUID() },
    })
    expect(noTeam.status).toBe(422)
    expect(noTeam.body).toMatchObject({ errors: [{ path: 'body.change.teamId' }] })
    expect((await ticket(id as string)).priority).toBe('normal')
  })

  it.each([
    ['no tickets', { ticketIds: [], change: { priority: 'low' } }, 'body.ticketIds'],
    [
      'more than 100 tickets',
      { ticketIds: Array.from({ length: 101 }, () => randomUUID()), change: { priority: 'low' } },
      'body.ticketIds',
    ],
    [
      'an id that is no uuid',
      { ticketIds: ['1'], change: { priority: 'low' } },
      'body.ticketIds.0',
    ],
    ['no change', { ticketIds: [randomUUID()], change: {} }, 'body.change'],
    [
      'an unknown status',
      { ticketIds: [randomUUID()], change: { status: 'done' } },
      'body.change.status',
    ],
    ['an unknown field', { ticketIds: [randomUUID()], change: { subject: 'x' } }, 'body.change'],
    [
      'a bad tag',
      { ticketIds: [randomUUID()], change: { addTags: ['a b'] } },
      'body.change.addTags.0',
    ],
  ])('refuses %s with a validation problem', async (_, body, path) => {
    const answer = await bulk(agent.client, body)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: 'validation_error',
      errors: expect.arrayContaining([expect.objectContaining({ path })]),
    })
  })
})
