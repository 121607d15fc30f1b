// GET /api/v1/events against real processes: one in this test process, a second a real
// `helpdesk serve` child, both on the harness's Postgres and Redis. News made through one
// reaches the streams the other holds, each stream hears only what its actor may read, and a
// stream resumes from Last-Event-ID and ends with its session.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  type ApiClient,
  createTestUser,
  signedInAs,
  signIn,
  tokenClient,
} from '../support/accounts.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import { type EventStreamReader, openEvents } from '../support/events.ts'
import { fileTicket, twoProcesses } from '../support/two-processes.ts'
import { until } from '../support/wait.ts'

const processes = twoProcesses()
const { atSecond } = processes

async function post(client: ApiClient, ticketId: string, body: object): Promise<string> {
  const answer = await client.post(`/tickets/${ticketId}/messages`, body)
  expect(answer.status).toBe(201)
  return (answer.body as { id: string }).id
}

describe('live events across API processes', () => {
  it('a ticket filed and a reply posted through one process reach a stream held by the other', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const stream = await openEvents(atSecond(agent.client))
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect((await stream.next()).event).toBe('ready')

    const ticketId = await fileTicket(customer.client)
    const created = await stream.nextOf('ticket.created', (data) => data.ticketId === ticketId)
    expect(created.data).toEqual({
      kind: 'ticket.created',
      ticketId,
      messageId: expect.any(String),
    })

    const messageId = await post(customer.client, ticketId, { body: 'It is still burning' })
    const added = await stream.nextOf('message.added', (data) => data.ticketId === ticketId)
    // Ids and the kind only: never the body, the author or the subject.
    expect(added.data).toEqual({ kind: 'message.added', ticketId, messageId })
    expect(Number(added.id)).toBeGreaterThan(Number(created.id))

    expect((await agent.client.patch(`/tickets/${ticketId}`, { priority: 'high' })).status).toBe(
      200,
    )
    await stream.nextOf('ticket.changed', (data) => data.ticketId === ticketId)
    stream.close()
  })

  it('a customer hears nothing of an internal note or of another customer’s ticket', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const stranger = await signedInAs(processes.first, { role: 'customer' })
    const own = await fileTicket(customer.client)
    const stream = await openEvents(atSecond(customer.client))
    expect((await stream.next()).event).toBe('ready')

    await fileTicket(stranger.client)
    await post(stranger.client, await fileTicket(stranger.client), { body: 'mine' })
    await post(agent.client, own, { body: 'Customer is grumpy', internal: true })
    const reply = await post(agent.client, own, { body: 'We are on it' })

    // One sequence orders every event: had any of the four above reached this stream, it
    // would come before the public reply.
    expect(await stream.next()).toMatchObject({
      event: 'message.added',
      data: { kind: 'message.added', ticketId: own, messageId: reply },
    })
    stream.close()
  })

  it('agents hear of internal notes; an API token opens a stream too', async () => {
    const agent = await createTestUser(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    const stream = await openEvents(await tokenClient(processes.first, agent))
    expect((await stream.next()).event).toBe('ready')
    const note = await post(await signIn(processes.first, agent), ticketId, {
      body: 'note',
      internal: true,
    })
    await stream.nextOf('message.added', (data) => data.messageId === note)
    stream.close()
  })

  it('Last-Event-ID resumes with what was missed; an id it cannot vouch for asks for a resync', async () => {
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    const before = await openEvents(customer.client)
    const ready = await before.next()
    expect(ready.event).toBe('ready')
    before.close()

    const missed = [
      await post(customer.client, ticketId, { body: 'one' }),
      await post(customer.client, ticketId, { body: 'two' }),
    ]
    const resumed = await openEvents(atSecond(customer.client), { lastEventId: ready.id as string })
    expect((await resumed.next()).event).toBe('ready')
    expect((await resumed.next()).data).toMatchObject({ messageId: missed[0] })
    expect((await resumed.next()).data).toMatchObject({ messageId: missed[1] })
    resumed.close()

    const lost = await openEvents(customer.client, { lastEventId: '999999999999' })
    expect((await lost.next()).event).toBe('resync')
    lost.close()
  })

  it('a stream ends when its session ends, in the other process too', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const stream = await openEvents(atSecond(agent.client))
    expect((await stream.next()).event).toBe('ready')
    expect((await agent.client.post('/auth/logout')).status).toBe(204)
    await stream.ended
    expect((await openEvents(atSecond(agent.client))).status).toBe(401)
  })

  it('counts open streams and events sent in the Prometheus metrics', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const stream = await openEvents(agent.client)
    await stream.next()
    const metrics = await (await fetch(`${processes.first.metricsUrl}/metrics`)).text()
    expect(metrics).toMatch(/^event_streams_open [1-9]/m)
    expect(metrics).toMatch(/^event_stream_events_sent_total \d+/m)
    stream.close()
  })
})

describe('live events in embedded mode and at shutdown', () => {
  let embedded: TestApp
  beforeAll(async () => {
    embedded = await startTestApp({}, { maxEventStreams: 2 })
  })
  afterAll(async () => embedded?.close())

  it('the in-process bus carries news, and a sign-out ends the stream', async () => {
    const agent = await signedInAs(embedded, { role: 'agent' })
    const customer = await signedInAs(embedded, { role: 'customer' })
    const stream = await openEvents(agent.client)
    expect((await stream.next()).event).toBe('ready')
    const ticketId = await fileTicket(customer.client)
    expect((await stream.next()).data).toMatchObject({ kind: 'ticket.created', ticketId })
    expect((await agent.client.post('/auth/logout')).status).toBe(204)
    await stream.ended
  })

  it('refuses streams beyond the cap, and shutting down ends every stream', async () => {
    const agent = await signedInAs(embedded, { role: 'agent' })
    const open = [await openEvents(agent.client), await openEvents(agent.client)]
    for (const stream of open) expect((await stream.next()).event).toBe('ready')
    const refused = await openEvents(agent.client)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')

    // A client that goes away frees its place.
    open.pop()?.close()
    let again: EventStreamReader | undefined
    await until(async () => {
      again = await openEvents(agent.client)
      return again.status === 200
    })
    open.push(again as EventStreamReader)
    expect((await (again as EventStreamReader).next()).event).toBe('ready')

    embedded.app.beginShutdown()
    await Promise.all(open.map((stream) => stream.ended))
    expect((await openEvents(agent.client)).status).toBe(503)
  })
})
