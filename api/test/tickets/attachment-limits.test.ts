// Attachments cannot fill the disk: quotas per person and per ticket (also under parallel
// uploads), an upload rate limit per person, and deletion by the uploader or staff that
// removes the bytes from storage and is audited. On MinIO and on a local directory.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Environment } from '../../src/config.ts'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import { form, s3Environment, storedObjects } from '../support/uploads.ts'

const KB = 1024

describe.each([
  ['S3 (MinIO)', s3Environment],
  ['embedded (local directory)', async (): Promise<Environment> => ({})],
])('attachments on %s', (_name, environmentOf) => {
  let api: TestApp
  let environment: Environment
  let admin: ApiClient
  let agent: ApiClient

  beforeAll(async () => {
    environment = {
      ...(await environmentOf()),
      HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES: String(10 * KB),
      HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES: String(6 * KB),
    }
    api = await startTestApp(environment, {
      rateLimits: {
        global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' },
        attachmentUpload: { points: 12, durationSeconds: 3600, whenStoreDown: 'local' },
      },
    })
    admin = await signIn(api, await createTestUser(api, { role: 'admin' }))
    agent = await signIn(api, await createTestUser(api, { role: 'agent' }))
  })
  afterAll(() => api.close())

  async function customerWithTicket() {
    const client = await signIn(api, await createTestUser(api, { role: 'customer' }))
    const ticket = await client.post('/tickets', { subject: 'Files', body: 'see attached' })
    return { client, ticketId: (ticket.body as { id: string }).id }
  }

  const upload = (client: ApiClient, ticketId: string, bytes: number) =>
    client.fetch(`/tickets/${ticketId}/attachments`, {
      method: 'POST',
      body: form({ name: 'data.bin', bytes: randomBytes(bytes) }),
    })

  async function problem(response: Response) {
    return { status: response.status, type: ((await response.json()) as { type: string }).type }
  }

  it('keeps a ticket within its quota, and stores nothing it refuses', async () => {
    const { client, ticketId } = await customerWithTicket()
    expect((await upload(client, ticketId, 3 * KB)).status).toBe(201)
    expect((await upload(client, ticketId, 2 * KB)).status).toBe(201)
    const before = await storedObjects(api, environment)
    expect(await problem(await upload(client, ticketId, 2 * KB))).toEqual({
      status: 413,
      type: 'attachment_quota_exceeded',
    })
    expect(await storedObjects(api, environment)).toEqual(before)
    // Staff adding to the same ticket count against it too.
    expect(await problem(await upload(agent, ticketId, 2 * KB))).toMatchObject({ status: 413 })
    expect((await upload(client, ticketId, KB)).status).toBe(201)
  })

  it('keeps a person within their quota across tickets', async () => {
    const { client, ticketId } = await customerWithTicket()
    const second = await client.post('/tickets', { subject: 'More', body: 'more files' })
    const secondId = (second.body as { id: string }).id
    expect((await upload(client, ticketId, 5 * KB)).status).toBe(201)
    expect((await upload(client, secondId, 5 * KB)).status).toBe(201)
    expect(await problem(await upload(client, secondId, KB))).toEqual({
      status: 413,
      type: 'attachment_quota_exceeded',
    })
  })

  it('holds the quota when uploads race', async () => {
    const { client, ticketId } = await customerWithTicket()
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => upload(client, ticketId, 2 * KB).then((r) => r.status)),
    )
    expect(statuses.filter((status) => status === 201)).toHaveLength(3)
    expect(statuses.filter((status) => status === 413)).toHaveLength(2)
    const usage = await api.app.services.orm.em
      .fork()
      .execute<{ bytes: string }[]>(
        'select coalesce(sum(size), 0)::text as bytes from attachments where ticket_id = ?',
        [ticketId],
      )
    expect(Number(usage[0]?.bytes)).toBeLessThanOrEqual(6 * KB)
  })

  it('limits uploads per person and time', async () => {
    const client = await signIn(api, await createTestUser(api, { role: 'customer' }))
    const statuses: number[] = []
    for (let index = 0; index < 13; index++) {
      const ticket = await client.post('/tickets', { subject: `T${index}`, body: 'x' })
      const response = await upload(client, (ticket.body as { id: string }).id, 100)
      statuses.push(response.status)
      if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    }
    expect(statuses).toEqual([...Array(12).fill(201), 429])
  })

  describe('deleting', () => {
    it('the uploader deletes their file: gone from storage, audited, room freed', async () => {
      const { client, ticketId } = await customerWithTicket()
      const uploaded = await upload(client, ticketId, 5 * KB)
      const { id } = (await uploaded.json()) as { id: string }
      const stored = await storedObjects(api, environment)
      expect((await client.delete(`/attachments/${id}`)).status).toBe(204)
      const left = await storedObjects(api, environment)
      expect(left).toHaveLength(stored.length - 1)
      expect((await client.fetch(`/attachments/${id}`)).status).toBe(404)
      expect((await client.delete(`/attachments/${id}`)).status).toBe(404)
      expect((await upload(client, ticketId, 5 * KB)).status).toBe(201)
      const events = await agent.get(`/tickets/${ticketId}/events?limit=100`)
      expect((events.body as { items: { action: string }[] }).items.map((e) => e.action)).toContain(
        'attachment.removed',
      )
      const audit = await admin.get('/audit-events?action=attachment.deleted&limit=100')
      expect(
        (audit.body as { items: { targetId: string }[] }).items.map((e) => e.targetId),
      ).toContain(id)
    })

    it('staff delete any file; a customer only their own, and never someone else’s ticket’s', async () => {
      const { client, ticketId } = await customerWithTicket()
      const stranger = await customerWithTicket()
      const byAgent = (await (await upload(agent, ticketId, KB)).json()) as { id: string }
      const byCustomer = (await (await upload(client, ticketId, KB)).json()) as { id: string }
      expect(
        await problem(await client.fetch(`/attachments/${byAgent.id}`, { method: 'DELETE' })),
      ).toEqual({
        status: 403,
        type: 'forbidden',
      })
      expect((await stranger.client.delete(`/attachments/${byCustomer.id}`)).status).toBe(404)
      expect((await agent.delete(`/attachments/${byCustomer.id}`)).status).toBe(204)
      expect((await agent.delete(`/attachments/${byAgent.id}`)).status).toBe(204)
    })
  })
})
