// Every notification rule, against a real SMTP server: customers hear agents' public replies
// and that their request was solved or closed, never an internal note; agents hear of new
// tickets in their teams, assignments, customers' replies on their tickets and SLA breaches;
// nobody hears of their own doing; each person's choices hold; notifications within the
// window are combined (one ticket: in its thread; several: a digest); one click unsubscribes.
import { type MailpitServer, startMailpit, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { type ApiClient, anonymous, signedInAs, type TestUser } from '../support/accounts.ts'
import { startTestApp, type TestApp, testAppKeysDir } from '../support/app.ts'
import { eventually, headersOf, smtpEnvironment } from '../support/mail.ts'

let mailpit: MailpitServer
let api: TestApp
let sql: pg.Pool
let admin: ApiClient
let teamId: string

interface Person {
  user: TestUser
  client: ApiClient
}
let customer: Person
let agent: Person
let colleague: Person
let outsider: Person

beforeAll(async () => {
  mailpit = await startMailpit()
  const databaseUrl = await testServices.postgres().createDatabase('notify')
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
  await admin.put('/mail/settings', { notificationWindowSeconds: 0 })
  customer = await signedInAs(api, { role: 'customer' })
  agent = await signedInAs(api, { role: 'agent' })
  colleague = await signedInAs(api, { role: 'agent' })
  outsider = await signedInAs(api, { role: 'agent' })
  teamId = ((await admin.post('/teams', { name: 'Billing' })).body as { id: string }).id
  await admin.put(`/teams/${teamId}/members`, { userIds: [agent.user.id, colleague.user.id] })
  // The recurring jobs run at once, not after their first period.
  await sql.query(`update jobs set run_at = now() where key like 'recurring:%'`)
})

afterAll(async () => {
  await api?.close()
  await sql?.end()
  await mailpit?.stop()
})

async function newTicket(subject: string): Promise<{ id: string; number: number }> {
  const created = await customer.client.post('/tickets', { subject, body: `About ${subject}` })
  expect(created.status).toBe(201)
  return created.body as { id: string; number: number }
}

/** Waits for the `count`th mail to someone and returns it (text and headers). */
async function mailTo(person: Person, count: number) {
  const found = await mailpit.waitFor(`to:${person.user.email}`, count)
  const summary = found[count - 1]!
  return {
    ...(await mailpit.message(summary.ID)),
    headers: await headersOf(mailpit, summary.ID),
  }
}

async function mailCount(person: Person): Promise<number> {
  return (await mailpit.search(`to:${person.user.email}`)).length
}

/** Everything ever written for someone: outbox rows and what still waits in the queue. */
async function everythingFor(person: Person): Promise<string> {
  const rows = await sql.query(
    `select text_body from outbound_mail where recipient_id = $1
     union all select details::text from notification_queue where recipient_id = $1`,
    [person.user.id],
  )
  return rows.rows.map((row) => Object.values(row).join(' ')).join('\n')
}

describe('who hears what', () => {
  let ticket: { id: string; number: number }

  it('tells the team’s other agents of a ticket that arrives in it', async () => {
    ticket = await newTicket('Invoice missing')
    const colleagueBefore = await mailCount(colleague)
    expect((await agent.client.patch(`/tickets/${ticket.id}`, { teamId })).status).toBe(200)
    const mail = await mailTo(colleague, colleagueBefore + 1)
    expect(mail.Subject).toBe(`[#${ticket.number}] Invoice missing`)
    expect(mail.Text).toContain(`New ticket #${ticket.number} in your team`)
    expect(mail.Text).toContain('About Invoice missing')
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated')
    // The agent moved it there themselves; the outsider is in no such team.
    expect(await everythingFor(agent)).not.toContain('Invoice missing')
    expect(await everythingFor(outsider)).toBe('')
  })

  it('tells an agent a ticket was assigned to them, not the one who assigned it', async () => {
    const before = await mailCount(agent)
    await admin.patch(`/tickets/${ticket.id}`, { assigneeId: agent.user.id })
    const mail = await mailTo(agent, before + 1)
    expect(mail.Text).toContain(`assigned #${ticket.number} to you`)
  })

  it('brings the customer an agent’s public reply in the ticket’s thread, never a note', async () => {
    const before = await mailCount(customer)
    await agent.client.post(`/tickets/${ticket.id}/messages`, {
      body: 'SECRET-NOTE: check the ledger',
      internal: true,
    })
    await agent.client.post(`/tickets/${ticket.id}/messages`, { body: 'We resent the invoice.' })
    const mail = await mailTo(customer, before + 1)
    expect(mail.Subject).toBe(`[#${ticket.number}] Invoice missing`)
    expect(mail.Text).toContain('We resent the invoice.')
    expect(mail.Text).not.toContain('SECRET-NOTE')
    expect(mail.HTML).toContain('We resent the invoice.')
    const root = `<ticket-${ticket.id}@helpdesk.localhost>`
    expect(mail.headers['In-Reply-To']).toBe(root)
    expect(mail.headers.References).toBe(root)
    expect(mail.headers['List-Unsubscribe']).toMatch(/^<http.*\/notifications\/unsubscribe\?token=/)
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    // A person's answer, not an automatic mail.
    expect(mail.headers['Auto-Submitted']).toBeUndefined()
    expect(await everythingFor(customer)).not.toContain('SECRET-NOTE')
  })

  it('brings the assigned agent the customer’s reply; other agents are not told', async () => {
    const before = await mailCount(agent)
    const colleagueText = await everythingFor(colleague)
    await customer.client.post(`/tickets/${ticket.id}/messages`, { body: 'Got it, thanks!' })
    const mail = await mailTo(agent, before + 1)
    expect(mail.Text).toContain('Got it, thanks!')
    expect(mail.Text).toContain(`replied on #${ticket.number}`)
    expect(await everythingFor(colleague)).toBe(colleagueText)
  })

  it('tells the customer their request was solved, then closed', async () => {
    const before = await mailCount(customer)
    await agent.client.patch(`/tickets/${ticket.id}`, { status: 'solved' })
    expect((await mailTo(customer, before + 1)).Text).toContain('was marked solved')
    await agent.client.patch(`/tickets/${ticket.id}`, { status: 'closed' })
    expect((await mailTo(customer, before + 2)).Text).toContain('was closed')
  })

  it('tells the assignee when their ticket misses its SLA target', async () => {
    const late = await newTicket('Server down')
    await admin.patch(`/tickets/${late.id}`, { assigneeId: agent.user.id, priority: 'urgent' })
    const before = await mailCount(agent)
    await sql.query(
      `update tickets set first_response_due_at = now() - interval '1 minute' where id = $1`,
      [late.id],
    )
    await sql.query(`update jobs set run_at = now() where key = 'recurring:sla.breach-check'`)
    const mail = await mailTo(agent, before + 1)
    expect(mail.Text).toContain(`#${late.number} missed its service-level target`)
  })
})

describe('choices, combining and unsubscribing', () => {
  it('leaves out what a person turned off, and keeps the rest', async () => {
    const ticket = await newTicket('Quiet please')
    const choices = await customer.client.put('/account/notifications', { agentReply: false })
    expect(choices.status).toBe(200)
    expect(choices.body).toMatchObject({ preferences: { agentReply: false, ticketStatus: true } })
    const before = await mailCount(customer)
    await agent.client.post(`/tickets/${ticket.id}/messages`, { body: 'UNWANTED-REPLY' })
    await agent.client.patch(`/tickets/${ticket.id}`, { status: 'solved' })
    const mail = await mailTo(customer, before + 1)
    expect(mail.Text).toContain('was marked solved')
    expect(await everythingFor(customer)).not.toContain('UNWANTED-REPLY')
    await customer.client.put('/account/notifications', { agentReply: true })
  })

  it('combines what happens within the window into one mail; several tickets into a digest', async () => {
    await admin.put('/mail/settings', { notificationWindowSeconds: 600 })
    try {
      const first = await newTicket('First thing')
      const second = await newTicket('Second thing')
      const before = await mailCount(customer)
      await agent.client.post(`/tickets/${first.id}/messages`, { body: 'Reply one' })
      await agent.client.post(`/tickets/${first.id}/messages`, { body: 'Reply two' })
      await sql.query(
        'update notification_queue set deliver_after = now() where recipient_id = $1',
        [customer.user.id],
      )
      const combined = await mailTo(customer, before + 1)
      expect(combined.Text).toContain('Reply one')
      expect(combined.Text).toContain('Reply two')
      await agent.client.post(`/tickets/${first.id}/messages`, { body: 'Reply three' })
      await agent.client.post(`/tickets/${second.id}/messages`, { body: 'Reply four' })
      await sql.query(
        'update notification_queue set deliver_after = now() where recipient_id = $1',
        [customer.user.id],
      )
      const digest = await mailTo(customer, before + 2)
      expect(digest.Subject).toBe('2 updates on 2 tickets')
      expect(digest.Text).toContain(`[#${first.number}] First thing`)
      expect(digest.Text).toContain(`[#${second.number}] Second thing`)
      expect(digest.headers['In-Reply-To']).toBeUndefined()
      expect(await mailCount(customer)).toBe(before + 2)
    } finally {
      await admin.put('/mail/settings', { notificationWindowSeconds: 0 })
    }
  })

  it('stops every notification with the one-click link in the mail', async () => {
    const ticket = await newTicket('Unsubscribe me')
    const before = await mailCount(customer)
    await agent.client.post(`/tickets/${ticket.id}/messages`, { body: 'Here it is' })
    const mail = await mailTo(customer, before + 1)
    const link = /^<(.*)>$/.exec(mail.headers['List-Unsubscribe'] ?? '')?.[1] as string
    // The link names the public URL; this test's API listens elsewhere.
    const { pathname, search } = new URL(link)
    const clicked = await fetch(`${api.url}${pathname}${search}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(clicked.status).toBe(204)
    const choices = (await customer.client.get('/account/notifications')).body as {
      preferences: Record<string, boolean>
    }
    expect(Object.values(choices.preferences).every((value) => value === false)).toBe(true)
    expect((await anonymous(api).post('/notifications/unsubscribe?token=unknown')).status).toBe(404)
    await agent.client.post(`/tickets/${ticket.id}/messages`, { body: 'AFTER-UNSUBSCRIBE' })
    await eventually(async () => {
      const queued = await sql.query('select 1 from notification_queue where recipient_id = $1', [
        customer.user.id,
      ])
      return queued.rowCount === 0
    })
    expect(await everythingFor(customer)).not.toContain('AFTER-UNSUBSCRIBE')
  })
})
