// Outgoing mail end to end, against real SMTP servers (Mailpit) read back over their HTTP
// API: the transactional outbox and its job, STARTTLS and implicit TLS with authentication,
// the headers every mail carries, a server that is down (sent once it is back, exactly once),
// dead letters and retrying them, and embedded mode with no server (kept, readable).
import { type MailpitServer, startMailpit, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { SEND_MAIL_MAX_ATTEMPTS } from '../../src/mail/send-job.ts'
import { type ApiClient, signedInAs } from '../support/accounts.ts'
import { startTestApp, type TestApp, testAppKeysDir } from '../support/app.ts'
import { eventually, headersOf, smtpEnvironment } from '../support/mail.ts'

let mailpit: MailpitServer
let api: TestApp
let admin: ApiClient
let sql: pg.Pool

interface OutboxItem {
  id: string
  messageId: string
  status: string
  attempts: number
  lastError: string | null
  to: string
}

const outboxItem = async (id: string) =>
  (await admin.get(`/mail/outbox/${id}`)).body as OutboxItem & { text: string; html: string }

beforeAll(async () => {
  mailpit = await startMailpit()
  const databaseUrl = await testServices.postgres().createDatabase('mail_out')
  sql = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  api = await startTestApp(
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testServices.redis().url,
      HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
      ...smtpEnvironment(mailpit),
    },
    { jobs: { pollMs: 20 } },
  )
  admin = (await signedInAs(api, { role: 'admin' })).client
})

afterAll(async () => {
  await api?.close()
  await sql?.end()
  await mailpit?.stop()
})

describe('the outbox', () => {
  it('sends a test mail with the admin’s sender and signature, both parts and our headers', async () => {
    const settings = await admin.put('/mail/settings', {
      senderName: 'Acme Support',
      senderAddress: 'support@acme.test',
      signature: 'Acme Support\nhttps://acme.test',
    })
    expect(settings.status).toBe(200)
    expect(settings.body).toMatchObject({
      senderAddress: 'support@acme.test',
      smtp: { host: '127.0.0.1', port: mailpit.smtpPort, security: 'none' },
    })
    const queued = await admin.post('/mail/test', { to: 'someone@example.test' })
    expect(queued.status).toBe(202)
    const { id } = queued.body as OutboxItem
    const [summary] = await mailpit.waitFor('to:someone@example.test')
    const message = await mailpit.message(summary!.ID)
    expect(message.From).toEqual({ Name: 'Acme Support', Address: 'support@acme.test' })
    expect(message.Text).toContain('outgoing mail works')
    expect(message.Text.replace(/\r\n/g, '\n')).toContain('-- \nAcme Support\nhttps://acme.test')
    expect(message.HTML).toContain('outgoing mail works')
    const headers = await headersOf(mailpit, summary!.ID)
    const item = await eventually(async () => {
      const current = await outboxItem(id)
      return current.status === 'sent' && current
    })
    expect(`<${summary!.MessageID}>`).toBe(item.messageId)
    expect(item.messageId).toMatch(/@acme\.test>$/)
    expect(headers['Auto-Submitted']).toBe('auto-generated')
    expect(headers['X-Helpdesk-Loop']).toMatch(/^[0-9a-f-]{36}$/)
    expect(item.attempts).toBe(1)
    const [audit] = (
      await sql.query(`select action from audit_events where action = 'mail.test_queued'`)
    ).rows
    expect(audit).toBeDefined()
  })

  it('refuses an invalid sender and lists the outbox newest first, by status', async () => {
    const bad = await admin.put('/mail/settings', { senderAddress: 'not an address' })
    expect(bad.status).toBe(400)
    const sent = await admin.get('/mail/outbox?status=sent&limit=1')
    expect(sent.status).toBe(200)
    const page = sent.body as { items: OutboxItem[]; nextCursor: string | null }
    expect(page.items).toHaveLength(1)
    expect(page.items[0]?.status).toBe('sent')
  })

  it('keeps mail while the server is down and sends it once when it is back', async () => {
    await mailpit.down()
    const queued = await admin.post('/mail/test', { to: 'while-down@example.test' })
    const { id } = queued.body as OutboxItem
    const failed = await eventually(async () => {
      const current = await outboxItem(id)
      return current.attempts >= 1 && current
    })
    expect(failed.status).toBe('queued')
    expect(failed.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/)
    await mailpit.up()
    // The retry comes after its backoff (5 s): the mail arrives once, and stays one.
    await mailpit.waitFor('to:while-down@example.test')
    await eventually(async () => (await outboxItem(id)).status === 'sent')
    const again = await admin.post('/mail/test', { to: 'after-down@example.test' })
    expect(again.status).toBe(202)
    await mailpit.waitFor('to:after-down@example.test')
    expect(await mailpit.search('to:while-down@example.test')).toHaveLength(1)
  })

  it('gives up after its attempts (a dead letter admins see) and sends on retry', async () => {
    await mailpit.down()
    const queued = await admin.post('/mail/test', { to: 'dead-letter@example.test' })
    const { id } = queued.body as OutboxItem
    await eventually(async () => (await outboxItem(id)).attempts >= 1)
    // Fast-forward the backoff: the job is at its last attempt, due now.
    await sql.query(`update jobs set attempts = $1, run_at = now() where key = $2`, [
      SEND_MAIL_MAX_ATTEMPTS - 1,
      `mail:${id}`,
    ])
    const dead = await eventually(async () => {
      const current = await outboxItem(id)
      return current.status === 'failed' && current
    })
    expect(dead.lastError).toBeTruthy()
    const letters = (await admin.get('/mail/outbox?status=failed')).body as { items: OutboxItem[] }
    expect(letters.items.map((item) => item.id)).toContain(id)
    await mailpit.up()
    const retried = await admin.post(`/mail/outbox/${id}/retry`)
    expect(retried.status).toBe(200)
    expect((retried.body as OutboxItem).status).toBe('queued')
    await mailpit.waitFor('to:dead-letter@example.test')
    await eventually(async () => (await outboxItem(id)).status === 'sent')
    expect((await admin.post(`/mail/outbox/${id}/retry`)).status).toBe(409)
  })
})

describe('submission security', () => {
  for (const tls of ['starttls', 'implicit'] as const) {
    it(`submits over ${tls} TLS with authentication, verifying the server`, async () => {
      const secure = await startMailpit({ tls, auth: true })
      const app = await startTestApp(
        {
          DATABASE_URL: await testServices.postgres().createDatabase('mail_tls'),
          REDIS_URL: testServices.redis().url,
          HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
          ...smtpEnvironment(secure),
        },
        { jobs: { pollMs: 20 } },
      )
      try {
        const client = (await signedInAs(app, { role: 'admin' })).client
        expect((await client.post('/mail/test', { to: `${tls}@example.test` })).status).toBe(202)
        const [summary] = await secure.waitFor(`to:${tls}@example.test`)
        expect(summary?.Subject).toBe('Helpdesk test mail')
      } finally {
        await app.close()
        await secure.stop()
      }
    })
  }
})

describe('embedded mode without an SMTP server', () => {
  it('keeps every mail in the outbox, readable in Admin → Email', async () => {
    const embedded = await startTestApp({}, { jobs: { pollMs: 20 } })
    try {
      const client = (await signedInAs(embedded, { role: 'admin' })).client
      const settings = (await client.get('/mail/settings')).body as { smtp: unknown }
      expect(settings.smtp).toBeNull()
      const queued = await client.post('/mail/test', { to: 'kept@example.test' })
      const { id } = queued.body as OutboxItem
      const held = await eventually(async () => {
        const current = (await client.get(`/mail/outbox/${id}`)).body as OutboxItem & {
          text: string
          html: string
          headers: Record<string, string>
        }
        return current.status === 'held' && current
      })
      expect(held.lastError).toMatch(/no SMTP server is configured/)
      expect(held.text).toContain('outgoing mail works')
      expect(held.html).toContain('<!doctype html>')
      const list = (await client.get('/mail/outbox?status=held')).body as { items: OutboxItem[] }
      expect(list.items.map((item) => item.id)).toEqual([id])
    } finally {
      await embedded.close()
    }
  })
})
