// GDPR end to end with tickets, messages and uploads: on S3 (MinIO) and in embedded mode
// (local directory). Export holds what the person wrote and uploaded; erasure removes their
// words and files while the tickets and everyone else's replies stay readable.
import { startMinio } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Environment } from '../../src/config.ts'
import { ERASED_BODY, ERASED_SUBJECT } from '../../src/tickets/personal-data.ts'
import { type ApiClient, signedInAs, type TestUser } from '../support/accounts.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import { s3Environment } from '../support/uploads.ts'

interface Story {
  customer: { user: TestUser; client: ApiClient }
  agent: ApiClient
  admin: ApiClient
  ticketId: string
  attachmentId: string
  storageKey: string
}

/** A customer files a ticket with a file; an agent answers it. */
async function tellStory(api: TestApp): Promise<Story> {
  const [customer, agent, admin] = await Promise.all([
    signedInAs(api, { role: 'customer' }),
    signedInAs(api, { role: 'agent' }),
    signedInAs(api, { role: 'admin' }),
  ])
  const created = await customer.client.post('/tickets', {
    subject: 'My invoice shows my home address wrongly',
    body: 'I live at 1 Private Lane, please fix it.',
  })
  expect(created.status).toBe(201)
  const ticketId = (created.body as { id: string }).id
  const form = new FormData()
  form.set('file', new Blob([Buffer.from('%PDF-1.4 my scanned passport')]), 'passport.pdf')
  const uploaded = await customer.client.fetch(`/tickets/${ticketId}/attachments`, {
    method: 'POST',
    body: form,
  })
  expect(uploaded.status).toBe(201)
  const attachmentId = ((await uploaded.json()) as { id: string }).id
  const reply = await agent.client.post(`/tickets/${ticketId}/messages`, {
    body: 'Fixed it, thanks!',
  })
  expect(reply.status).toBe(201)
  const [row] = await api.app.services.orm.em
    .fork()
    .execute<{ storage_key: string }[]>('select storage_key from attachments where id = ?', [
      attachmentId,
    ])
  return {
    customer,
    agent: agent.client,
    admin: admin.client,
    ticketId,
    attachmentId,
    storageKey: row?.storage_key as string,
  }
}

describe.each([
  ['S3 (MinIO)', () => s3Environment('gdpr')],
  ['embedded (local directory)', async (): Promise<Environment> => ({})],
])('GDPR with tickets on %s', (_name, environmentOf) => {
  let api: TestApp
  let story: Story

  beforeAll(async () => {
    api = await startTestApp(await environmentOf())
    story = await tellStory(api)
  })
  afterAll(() => api.close())

  it('exports the tickets they requested, their messages and their uploads’ metadata', async () => {
    const answer = await story.customer.client.get(`/users/${story.customer.user.id}/export`)
    expect(answer.status).toBe(200)
    const document = answer.body as Record<string, { id: string }[]>
    expect(document).toMatchObject({
      ticketsRequested: [
        { id: story.ticketId, subject: 'My invoice shows my home address wrongly' },
      ],
      messages: [
        {
          ticketId: story.ticketId,
          body: 'I live at 1 Private Lane, please fix it.',
          internal: false,
        },
      ],
      attachments: [{ id: story.attachmentId, filename: 'passport.pdf', size: 28, erased: false }],
    })
    // Someone else's words are not theirs to export.
    expect(JSON.stringify(document)).not.toContain('Fixed it, thanks!')
  })

  it('erases their words and files, keeps the ticket and the agent’s reply', async () => {
    const { storage } = api.app.services
    expect((await storage.get(story.storageKey)).size).toBe(28)

    expect((await story.admin.post(`/users/${story.customer.user.id}/erase`)).status).toBe(204)

    await expect(storage.get(story.storageKey)).rejects.toMatchObject({ type: 'not_found' })
    const ticket = await story.agent.get(`/tickets/${story.ticketId}`)
    expect(ticket.body).toMatchObject({
      subject: ERASED_SUBJECT,
      requester: { id: story.customer.user.id, name: 'Erased user' },
    })
    const messages = (await story.agent.get(`/tickets/${story.ticketId}/messages`)).body as {
      items: { author: { name: string }; body: string; attachments: unknown[] }[]
    }
    expect(messages.items.map((message) => [message.author.name, message.body])).toEqual([
      ['Erased user', ERASED_BODY],
      [expect.any(String), 'Fixed it, thanks!'],
    ])
    expect((await story.agent.fetch(`/attachments/${story.attachmentId}`)).status).toBe(404)
    const events = await story.agent.get(`/tickets/${story.ticketId}/events`)
    expect(events.status).toBe(200)
    expect((events.body as { items: unknown[] }).items.length).toBeGreaterThan(0)
    const search = await story.agent.get('/tickets?q=Private%20Lane')
    expect((search.body as { items: unknown[] }).items).toEqual([])
    const audit = await story.admin.get('/audit-events?action=user.erased&limit=1')
    expect(audit.body).toMatchObject({
      items: [{ targetId: story.customer.user.id, details: { uploadsDeleted: 1 } }],
    })
  })
})

describe('erasure while storage is down', () => {
  it('changes nothing, answers 503, and succeeds when run again', async () => {
    const minio = await startMinio()
    const api = await startTestApp(await s3Environment('gdpr', minio))
    try {
      const story = await tellStory(api)
      await minio.down()
      const failed = await story.admin.post(`/users/${story.customer.user.id}/erase`)
      expect(failed.status).toBe(503)
      const ticket = await story.agent.get(`/tickets/${story.ticketId}`)
      expect(ticket.body).toMatchObject({ requester: { name: story.customer.user.name } })
      expect((await story.customer.client.get('/auth/me')).status).toBe(200)

      await minio.up()
      expect((await story.admin.post(`/users/${story.customer.user.id}/erase`)).status).toBe(204)
      await expect(api.app.services.storage.get(story.storageKey)).rejects.toMatchObject({
        type: 'not_found',
      })
    } finally {
      await api.close()
      await minio.stop()
    }
  })
})
