// "Send and set status": a message and a status change in one request and one transaction,
// under the status rules of a PATCH and the If-Match precondition; a refusal keeps neither.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
let agent: ApiClient
let customer: ApiClient
let other: ApiClient

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment())
  agent = await signIn(api, await createTestUser(api, { role: 'agent' }))
  customer = await signIn(api, await createTestUser(api, { role: 'customer' }))
  other = await signIn(api, await createTestUser(api, { role: 'customer' }))
})
afterAll(() => api.close())

async function newTicket(): Promise<string> {
  const created = await customer.post('/tickets', { subject: 'Printer', body: 'It smokes.' })
  expect(created.status).toBe(201)
  return (created.body as { id: string }).id
}

async function messagesOf(id: string): Promise<string[]> {
  const page = (await agent.get(`/tickets/${id}/messages?limit=100`)).body as {
    items: { body: string }[]
  }
  return page.items.map((message) => message.body)
}

async function statusOf(id: string): Promise<string> {
  return ((await agent.get(`/tickets/${id}`)).body as { status: string }).status
}

async function eventsOf(id: string) {
  return (
    (await agent.get(`/tickets/${id}/events?limit=100`)).body as {
      items: { action: string; changes: Record<string, { from: unknown; to: unknown }> }[]
    }
  ).items
}

describe('send and set status', () => {
  it('sends the reply and solves the ticket in one step, recorded as one event', async () => {
    const id = await newTicket()
    const sent = await agent.post(`/tickets/${id}/messages`, {
      body: 'Replaced the fuser.',
      status: 'solved',
    })
    expect(sent.status).toBe(201)
    expect(await statusOf(id)).toBe('solved')
    expect(await messagesOf(id)).toEqual(['It smokes.', 'Replaced the fuser.'])
    const events = await eventsOf(id)
    expect(events.at(-1)).toMatchObject({
      action: 'reply.added',
      changes: { status: { from: 'new', to: 'solved' } },
    })
    // The reply still counts as the first response.
    expect((await agent.get(`/tickets/${id}`)).body).toMatchObject({ firstResponseDueAt: null })
  })

  it('lets an internal note set the status too (pending), without notes reaching customers', async () => {
    const id = await newTicket()
    const noted = await agent.post(`/tickets/${id}/messages`, {
      body: 'Waiting on the vendor.',
      internal: true,
      status: 'pending',
    })
    expect(noted.status).toBe(201)
    expect(await statusOf(id)).toBe('pending')
    const seen = (await customer.get(`/tickets/${id}/messages`)).body as { items: unknown[] }
    expect(seen.items).toHaveLength(1)
  })

  it('lets a requester send and mark solved, as a PATCH would', async () => {
    const id = await newTicket()
    const sent = await customer.post(`/tickets/${id}/messages`, {
      body: 'It works again, thanks.',
      status: 'solved',
    })
    expect(sent.status).toBe(201)
    expect(await statusOf(id)).toBe('solved')
  })

  it('refuses a status the sender may not set, leaving no message', async () => {
    const id = await newTicket()
    const refused = await customer.post(`/tickets/${id}/messages`, {
      body: 'Closing this myself.',
      status: 'closed',
    })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ type: 'forbidden' })
    expect(await messagesOf(id)).toEqual(['It smokes.'])
    expect(await statusOf(id)).toBe('new')
    expect((await eventsOf(id)).map((event) => event.action)).toEqual(['ticket.created'])
  })

  it('refuses an unknown status with 400, leaving no message', async () => {
    const id = await newTicket()
    const refused = await agent.post(`/tickets/${id}/messages`, { body: 'x', status: 'done' })
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ errors: [{ path: 'body.status' }] })
    expect(await messagesOf(id)).toEqual(['It smokes.'])
  })

  it('refuses a stale If-Match with 412, leaving neither the message nor the status', async () => {
    const id = await newTicket()
    const etag = (await agent.get(`/tickets/${id}`)).headers.get('etag') as string
    await customer.post(`/tickets/${id}/messages`, { body: 'Any news?' })
    const stale = await agent.post(
      `/tickets/${id}/messages`,
      { body: 'Fixed.', status: 'solved' },
      { headers: { 'If-Match': etag } },
    )
    expect(stale.status).toBe(412)
    expect(stale.body).toMatchObject({ type: 'precondition_failed' })
    expect(await messagesOf(id)).toEqual(['It smokes.', 'Any news?'])
    expect(await statusOf(id)).toBe('new')
    const current = (await agent.get(`/tickets/${id}`)).headers.get('etag') as string
    const fresh = await agent.post(
      `/tickets/${id}/messages`,
      { body: 'Fixed.', status: 'solved' },
      { headers: { 'If-Match': current } },
    )
    expect(fresh.status).toBe(201)
    expect(await statusOf(id)).toBe('solved')
  })

  it('keeps other people’s tickets hidden (404) whatever the status asked', async () => {
    const id = await newTicket()
    const hidden = await other.post(`/tickets/${id}/messages`, { body: 'x', status: 'solved' })
    expect(hidden.status).toBe(404)
    expect(await messagesOf(id)).toEqual(['It smokes.'])
  })
})
