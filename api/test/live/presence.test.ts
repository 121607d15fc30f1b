// Presence on a ticket ("Ada is viewing", "Ada is replying") against real processes: this one
// and a `helpdesk serve` child on the harness's Postgres and Redis. Marks made through one are
// listed and announced by the other; customers neither announce nor hear; marks lapse by
// themselves. Expiry is checked on a clock the test moves, never by waiting it out.
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Redis } from 'ioredis'
import {
  MemoryPresenceBoard,
  type PresenceBoard,
  RedisPresenceBoard,
} from '../../src/platform/presence.ts'
import { type ApiClient, signedInAs } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'
import { openEvents } from '../support/events.ts'
import { fileTicket, twoProcesses } from '../support/two-processes.ts'
import { until } from '../support/wait.ts'

const processes = twoProcesses()
const { atSecond } = processes

interface PresenceAnswer {
  others: { userId: string; name: string; state: string }[]
  renewInMs: number
}

async function announce(client: ApiClient, ticketId: string, state: string) {
  const answer = await client.put(`/tickets/${ticketId}/presence`, { state })
  expect(answer.status).toBe(200)
  return answer.body as PresenceAnswer
}

describe('presence across API processes', () => {
  it('an agent viewing, then replying, then leaving through one process is seen through the other', async () => {
    const ada = await signedInAs(processes.first, { role: 'agent', name: 'Ada Presence' })
    const bob = await signedInAs(processes.first, { role: 'agent', name: 'Bob Presence' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    const onTicket = (data: Record<string, unknown>) => data.ticketId === ticketId
    const stream = await openEvents(bob.client)
    expect((await stream.next()).event).toBe('ready')

    expect((await announce(atSecond(ada.client), ticketId, 'viewing')).others).toEqual([])
    const viewing = await stream.nextOf('presence', onTicket)
    // No id: presence is not replayed, and moves no client's Last-Event-ID.
    expect(viewing.id).toBeUndefined()
    expect(viewing.data).toEqual({
      kind: 'presence',
      ticketId,
      userId: ada.user.id,
      name: 'Ada Presence',
      state: 'viewing',
    })
    const seen = await announce(bob.client, ticketId, 'viewing')
    expect(seen.others).toEqual([{ userId: ada.user.id, name: 'Ada Presence', state: 'viewing' }])
    expect(seen.renewInMs).toBe(10_000)

    // A renewal with the same state is no news: the next news is the change to replying.
    await announce(atSecond(ada.client), ticketId, 'viewing')
    await announce(atSecond(ada.client), ticketId, 'replying')
    expect((await stream.nextOf('presence', onTicket)).data).toMatchObject({ state: 'replying' })
    expect((await announce(bob.client, ticketId, 'viewing')).others).toEqual([
      { userId: ada.user.id, name: 'Ada Presence', state: 'replying' },
    ])

    expect((await atSecond(ada.client).delete(`/tickets/${ticketId}/presence`)).status).toBe(204)
    expect((await stream.nextOf('presence', onTicket)).data).toMatchObject({
      userId: ada.user.id,
      state: 'left',
    })
    expect((await announce(bob.client, ticketId, 'viewing')).others).toEqual([])
    stream.close()
  })

  it('a stream never hears of its own user', async () => {
    const ada = await signedInAs(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    const stream = await openEvents(atSecond(ada.client))
    expect((await stream.next()).event).toBe('ready')
    await announce(ada.client, ticketId, 'viewing')
    const note = await ada.client.post(`/tickets/${ticketId}/messages`, {
      body: 'checking',
      internal: true,
    })
    // Redis delivers in publish order: had her own presence reached her, it would come first.
    expect(note.status).toBe(201)
    expect(await stream.next()).toMatchObject({
      event: 'message.added',
      data: { messageId: (note.body as { id: string }).id },
    })
    stream.close()
  })

  it('a customer may not announce presence and never hears it, even on their own ticket', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    const refused = await customer.client.put(`/tickets/${ticketId}/presence`, {
      state: 'viewing',
    })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ type: 'forbidden' })
    expect((await customer.client.delete(`/tickets/${ticketId}/presence`)).status).toBe(403)
    // Nothing was marked: the agent sees no one.
    expect((await announce(agent.client, ticketId, 'viewing')).others).toEqual([])

    const stream = await openEvents(atSecond(customer.client))
    expect((await stream.next()).event).toBe('ready')
    await announce(agent.client, ticketId, 'replying')
    const reply = await agent.client.post(`/tickets/${ticketId}/messages`, { body: 'On it' })
    // One connection, publish order: the agent's presence came first and was held back.
    expect(await stream.next()).toMatchObject({
      event: 'message.added',
      data: { messageId: (reply.body as { id: string }).id },
    })
    stream.close()
  })

  it('answers 404 for a ticket that does not exist and 400 for a state it does not know', async () => {
    const agent = await signedInAs(processes.first, { role: 'agent' })
    const customer = await signedInAs(processes.first, { role: 'customer' })
    const missing = await agent.client.put(
      '/tickets/00000000-0000-4000-8000-000000000000/presence',
      { state: 'viewing' },
    )
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ type: 'not_found' })
    const ticketId = await fileTicket(customer.client)
    const wrong = await agent.client.put(`/tickets/${ticketId}/presence`, { state: 'typing' })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ type: 'validation_error' })
  })
})

describe('presence lapses unless renewed', () => {
  let shortLived: TestApp
  beforeAll(async () => {
    shortLived = await startTestApp(await externalEnvironment(), { presenceTtlMs: 300 })
  })
  afterAll(async () => shortLived?.close())

  it('a tab that goes away without a word stops being listed by itself', async () => {
    const ada = await signedInAs(shortLived, { role: 'agent' })
    const bob = await signedInAs(shortLived, { role: 'agent' })
    const customer = await signedInAs(shortLived, { role: 'customer' })
    const ticketId = await fileTicket(customer.client)
    await announce(ada.client, ticketId, 'viewing')
    // Ada never renews nor leaves; Bob, renewing as told, soon sees no one.
    const answer = await announce(bob.client, ticketId, 'viewing')
    expect(answer.renewInMs).toBe(100)
    await until(async () => (await announce(bob.client, ticketId, 'viewing')).others.length === 0)
  })
})

describe('presence in embedded mode', () => {
  let embedded: TestApp
  beforeAll(async () => {
    embedded = await startTestApp({})
  })
  afterAll(async () => embedded?.close())

  it('the in-process board and bus carry presence', async () => {
    const ada = await signedInAs(embedded, { role: 'agent', name: 'Ada Embedded' })
    const bob = await signedInAs(embedded, { role: 'admin' })
    const ticketId = await fileTicket((await signedInAs(embedded, { role: 'customer' })).client)
    const stream = await openEvents(bob.client)
    expect((await stream.next()).event).toBe('ready')
    await announce(ada.client, ticketId, 'replying')
    expect((await stream.next()).data).toMatchObject({ name: 'Ada Embedded', state: 'replying' })
    expect((await announce(bob.client, ticketId, 'viewing')).others).toEqual([
      { userId: ada.user.id, name: 'Ada Embedded', state: 'replying' },
    ])
    stream.close()
  })
})

/** The rules of a board, on a clock the test moves: Redis's and memory's alike. */
describe.each([
  ['Redis', (now: () => number) => new RedisPresenceBoard(boardRedis(), { ttlMs: 1_000, now })],
  ['memory', (now: () => number) => new MemoryPresenceBoard({ ttlMs: 1_000, now })],
])('the %s presence board', (_name, makeBoard) => {
  let clock = 1_000_000
  let board: PresenceBoard
  beforeAll(() => {
    board = makeBoard(() => clock)
  })
  afterAll(() => redis?.disconnect())

  it('lists a mark until its time to live has passed, and says when a mark is news', async () => {
    const topic = `ticket:${crypto.randomUUID()}`
    expect(await board.mark(topic, 'ada', { state: 'viewing' })).toBe(true)
    expect(await board.mark(topic, 'ada', { state: 'viewing' })).toBe(false)
    clock += 999
    expect(await board.list(topic)).toEqual([{ member: 'ada', data: { state: 'viewing' } }])
    clock += 1
    expect(await board.list(topic)).toEqual([])
    // Back after lapsing is news again, as is another state.
    expect(await board.mark(topic, 'ada', { state: 'viewing' })).toBe(true)
    expect(await board.mark(topic, 'ada', { state: 'replying' })).toBe(true)
    expect(await board.mark(topic, 'bob', { state: 'viewing' })).toBe(true)
    expect(await board.clear(topic, 'ada')).toBe(true)
    expect(await board.clear(topic, 'ada')).toBe(false)
    expect(await board.list(topic)).toEqual([{ member: 'bob', data: { state: 'viewing' } }])
  })
})

let redis: Redis | undefined
function boardRedis(): Redis {
  redis ??= new Redis(testServices.redis().url, {
    keyPrefix: testServices.redis().keyPrefix('presence'),
  })
  return redis
}
