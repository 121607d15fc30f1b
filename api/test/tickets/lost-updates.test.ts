// No lost updates, no double creates: ETag/If-Match on ticket updates (412 for a stale
// version, exactly one of many racing writers wins) and Idempotency-Key on ticket and message
// creation (a retry or a double click creates once and gets the first answer again).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp
  let agent: ApiClient
  let customer: ApiClient

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: { global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    agent = await signIn(api, await createTestUser(api, { role: 'agent' }))
    customer = await signIn(api, await createTestUser(api, { role: 'customer' }))
  })
  afterAll(() => api.close())

  async function newTicket() {
    const created = await customer.post('/tickets', { subject: 'Printer', body: 'It smokes.' })
    expect(created.status).toBe(201)
    return { id: (created.body as { id: string }).id, etag: created.headers.get('etag') as string }
  }

  describe('ETag and If-Match', () => {
    it('tags every version; a change based on an old one is refused with 412', async () => {
      const { id, etag: created } = await newTicket()
      const read = await agent.get(`/tickets/${id}`)
      const etag = read.headers.get('etag')
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
      expect(etag).toBe(created)
      const changed = await agent.patch(
        `/tickets/${id}`,
        { status: 'open' },
        { headers: { 'If-Match': etag as string } },
      )
      expect(changed.status).toBe(200)
      const next = changed.headers.get('etag')
      expect(next).not.toBe(etag)
      const stale = await agent.patch(
        `/tickets/${id}`,
        { status: 'pending' },
        { headers: { 'If-Match': etag as string } },
      )
      expect(stale.status).toBe(412)
      expect(stale.body).toMatchObject({ type: 'precondition_failed' })
      expect(stale.headers.get('etag')).toBe(next)
      expect((await agent.get(`/tickets/${id}`)).body).toMatchObject({ status: 'open' })
      // A reply changes the ticket too: an If-Match from before it is stale.
      await customer.post(`/tickets/${id}/messages`, { body: 'Any news?' })
      const afterReply = await agent.patch(
        `/tickets/${id}`,
        { priority: 'high' },
        { headers: { 'If-Match': next as string } },
      )
      expect(afterReply.status).toBe(412)
    })

    it('lets exactly one of 28 parallel updates of one version through', async () => {
      const { id, etag } = await newTicket()
      const answers = await Promise.all(
        Array.from({ length: 28 }, (_, index) =>
          agent.patch(
            `/tickets/${id}`,
            { subject: `Edit ${index}` },
            { headers: { 'If-Match': etag } },
          ),
        ),
      )
      const statuses = answers.map((answer) => answer.status).sort()
      expect(statuses.filter((status) => status === 200)).toHaveLength(1)
      expect(statuses.filter((status) => status === 412)).toHaveLength(27)
      const events = await agent.get(`/tickets/${id}/events?limit=100`)
      const updates = (events.body as { items: { action: string }[] }).items.filter(
        (event) => event.action === 'ticket.updated',
      )
      expect(updates).toHaveLength(1)
    })

    it('takes *, a list of tags, and no If-Match at all (last write wins)', async () => {
      const { id, etag } = await newTicket()
      expect(
        (await agent.patch(`/tickets/${id}`, { priority: 'low' }, { headers: { 'If-Match': '*' } }))
          .status,
      ).toBe(200)
      const current = (await agent.get(`/tickets/${id}`)).headers.get('etag') as string
      const listed = await agent.patch(
        `/tickets/${id}`,
        { priority: 'high' },
        { headers: { 'If-Match': `${etag}, ${current}` } },
      )
      expect(listed.status).toBe(200)
      // Weak tags never match If-Match (strong comparison).
      const fresh = listed.headers.get('etag') as string
      expect(
        (
          await agent.patch(
            `/tickets/${id}`,
            { priority: 'low' },
            { headers: { 'If-Match': `W/${fresh}` } },
          )
        ).status,
      ).toBe(412)
      expect((await agent.patch(`/tickets/${id}`, { priority: 'urgent' })).status).toBe(200)
      const malformed = await agent.patch(
        `/tickets/${id}`,
        { priority: 'low' },
        { headers: { 'If-Match': 'no quotes' } },
      )
      // Text that is no entity tag names no version: refused like a stale one.
      expect(malformed.status).toBe(412)
    })
  })

  it('refuses If-Match and Idempotency-Key sent empty (400), unlike either left out', async () => {
    // The fuzz tier sent `If-Match:` with no value and saw it taken as no header at all.
    const { id } = await newTicket()
    for (const [name, send] of [
      [
        'If-Match',
        () => agent.patch(`/tickets/${id}`, { priority: 'low' }, { headers: { 'If-Match': '' } }),
      ],
      [
        'Idempotency-Key',
        () =>
          customer.post(
            '/tickets',
            { subject: 'Empty key', body: 'x' },
            { headers: { 'Idempotency-Key': '' } },
          ),
      ],
      // HTTP drops the spaces around a value (RFC 9110 §5.5): a blank one arrives empty.
      [
        'Idempotency-Key',
        () =>
          customer.post(
            `/tickets/${id}/messages`,
            { body: 'x' },
            { headers: { 'Idempotency-Key': ' ' } },
          ),
      ],
    ] as const) {
      const answer = await send()
      expect({ name, status: answer.status, body: answer.body }).toMatchObject({
        name,
        status: 400,
        body: { errors: [{ path: `header.${name}` }] },
      })
    }
    expect((await agent.get(`/tickets/${id}/messages`)).body).toMatchObject({
      items: [expect.objectContaining({ body: 'It smokes.' })],
    })
  })

  describe('Idempotency-Key', () => {
    const count = async (subject: string) => {
      const answer = await agent.get(`/tickets/count?q=${encodeURIComponent(subject)}`)
      return (answer.body as { count: number }).count
    }

    it('creates a ticket once for a retried request, and answers the same', async () => {
      const subject = `Retry ${crypto.randomUUID().slice(0, 8)}`
      const key = crypto.randomUUID()
      const send = () =>
        customer.post(
          '/tickets',
          { subject, body: 'once' },
          { headers: { 'Idempotency-Key': key } },
        )
      const first = await send()
      const second = await send()
      expect(first.status).toBe(201)
      expect(second.status).toBe(201)
      expect(second.body).toEqual(first.body)
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
      expect(await count(subject)).toBe(1)
    })

    it('creates once when the same key races itself', async () => {
      const subject = `Race ${crypto.randomUUID().slice(0, 8)}`
      const key = crypto.randomUUID()
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          customer.post(
            '/tickets',
            { subject, body: 'once' },
            { headers: { 'Idempotency-Key': key } },
          ),
        ),
      )
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201))
      expect(new Set(answers.map((answer) => (answer.body as { id: string }).id)).size).toBe(1)
      expect(await count(subject)).toBe(1)
    })

    it('refuses the key for a different request (422), and keys are per person', async () => {
      const key = crypto.randomUUID()
      const subject = `Key ${crypto.randomUUID().slice(0, 8)}`
      expect(
        (
          await customer.post(
            '/tickets',
            { subject, body: 'a' },
            { headers: { 'Idempotency-Key': key } },
          )
        ).status,
      ).toBe(201)
      const other = await customer.post(
        '/tickets',
        { subject, body: 'b' },
        { headers: { 'Idempotency-Key': key } },
      )
      expect(other.status).toBe(422)
      expect(other.body).toMatchObject({ type: 'idempotency_key_reused' })
      // Someone else's request with the same key is theirs alone.
      const agents = await agent.post(
        '/tickets',
        { subject, body: 'a' },
        { headers: { 'Idempotency-Key': key } },
      )
      expect(agents.status).toBe(201)
      expect(await count(subject)).toBe(2)
    })

    it('posts a message once, and a failed request stores nothing', async () => {
      const { id } = await newTicket()
      const key = crypto.randomUUID()
      const send = (body: string) =>
        customer.post(`/tickets/${id}/messages`, { body }, { headers: { 'Idempotency-Key': key } })
      const [a, b] = await Promise.all([send('hello'), send('hello')])
      expect(a.body).toEqual(b.body)
      const messages = await agent.get(`/tickets/${id}/messages`)
      expect((messages.body as { items: unknown[] }).items).toHaveLength(2)
      // A refused request (a closed ticket) keeps nothing: the key is free again.
      const closedKey = crypto.randomUUID()
      await agent.patch(`/tickets/${id}`, { status: 'closed' })
      const refused = await customer.post(
        `/tickets/${id}/messages`,
        { body: 'late' },
        { headers: { 'Idempotency-Key': closedKey } },
      )
      expect(refused.status).toBe(409)
      const again = await customer.post(
        `/tickets/${id}/messages`,
        { body: 'late' },
        { headers: { 'Idempotency-Key': closedKey } },
      )
      expect(again.status).toBe(409)
    })
  })
})
