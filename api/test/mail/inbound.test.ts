// Mail channels against a private Dovecot (IMAP IDLE) and Mailpit: a mail becomes a ticket
// (an unknown sender a customer without a password, who is asked to set one), its files
// attachments like uploads; replies find their ticket by In-Reply-To or by the token in the
// address; HTML is sanitized and quoted history trimmed but kept; loops, bounces and
// automatic mail are never answered; one mail delivered twice, read by two replicas, counts
// once; a channel that cannot log in says why.
import { createHash } from 'node:crypto'
import {
  type DovecotServer,
  type MailboxAccount,
  type MailpitServer,
  startDovecot,
  startMailpit,
  testServices,
} from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { type ApiClient, signedInAs } from '../support/accounts.ts'
import { startTestApp, type TestApp, testAppKeysDir } from '../support/app.ts'
import { composeMail, deliver, eventually, headersOf, smtpEnvironment } from '../support/mail.ts'

let dovecot: DovecotServer
let mailpit: MailpitServer
let mailbox: MailboxAccount
let api: TestApp
let replica: TestApp
let sql: pg.Pool
let admin: ApiClient
let channelId: string
const CHANNEL_ADDRESS = 'support@acme.test'

beforeAll(async () => {
  ;[dovecot, mailpit] = await Promise.all([startDovecot(), startMailpit()])
  mailbox = dovecot.createAccount('support')
  const databaseUrl = await testServices.postgres().createDatabase('mail_in')
  sql = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  const environment = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testServices.redis().url,
    HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
    ...smtpEnvironment(mailpit),
  }
  api = await startTestApp(environment, { jobs: { pollMs: 20 } })
  // A second replica on the same database: only one of them may read the channel at a time.
  replica = await startTestApp(environment, { jobs: { pollMs: 20 } })
  admin = (await signedInAs(api, { role: 'admin' })).client
  await admin.put('/mail/settings', {
    senderAddress: 'helpdesk@acme.test',
    notificationWindowSeconds: 0,
  })
  const team = (await admin.post('/teams', { name: 'Support' })).body as { id: string }
  const created = await admin.post('/mail/channels', {
    name: 'support',
    address: CHANNEL_ADDRESS,
    teamId: team.id,
    host: dovecot.host,
    port: dovecot.port,
    security: 'none',
    username: mailbox.user,
    password: mailbox.password,
  })
  expect(created.status).toBe(201)
  channelId = (created.body as { id: string }).id
  await eventually(async () => channelStatus().then((status) => status.state === 'ok'), {
    what: 'the channel’s first poll',
    timeoutMs: 20_000,
  })
})

afterAll(async () => {
  await replica?.close()
  await api?.close()
  await sql?.end()
  await Promise.all([dovecot?.stop(), mailpit?.stop()])
})

async function channelStatus() {
  const channel = (await admin.get(`/mail/channels/${channelId}`)).body as {
    status: {
      state: string | null
      lastError: string | null
      messagesRead: number
      reading: boolean
    }
  }
  return channel.status
}

interface Inbound {
  outcome: string
  reason: string | null
  ticket_id: string | null
}

/** Delivers a mail and waits until the channel has read it; returns what it did. */
async function send(options: Parameters<typeof composeMail>[0]): Promise<Inbound> {
  const raw = await composeMail({ to: CHANNEL_ADDRESS, ...options })
  await deliver(dovecot, mailbox, raw)
  const messageId = options.messageId as string
  return eventually(
    async () =>
      (
        await sql.query<Inbound>(
          'select outcome, reason, ticket_id from inbound_messages where message_id = $1',
          [messageId],
        )
      ).rows[0],
    { what: `the channel to read ${messageId}` },
  )
}

let sequence = 0
const messageId = () => `<test-${Date.now()}-${++sequence}@customer.test>`

async function messagesOf(ticketId: string) {
  return (
    await sql.query<{
      body: string
      full_body: string | null
      html_body: string | null
      via: string
      author: string
      internal: boolean
    }>(
      `select m.body, m.full_body, m.html_body, m.via, u.email as author, m.internal
       from messages m join users u on u.id = m.author_id where m.ticket_id = $1
       order by m.created_at, m.id`,
      [ticketId],
    )
  ).rows
}

describe('a new mail', () => {
  let ticketId: string
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 1)])

  it('becomes a ticket of the channel’s team from a new customer, with its files', async () => {
    const id = messageId()
    const read = await send({
      from: 'Ada Lovelace <ada@customer.test>',
      subject: 'Printer on fire',
      text: 'The printer is on fire.\nPlease help.',
      messageId: id,
      attachments: [
        { filename: '../../etc/report.pdf', content: pdf, contentType: 'text/html' },
        { filename: 'notes.txt', content: 'plain notes' },
      ],
    })
    expect(read.outcome).toBe('created')
    ticketId = read.ticket_id as string
    const [ticket] = (
      await sql.query(
        `select t.subject, t.team_id, tm.name as team, u.email, u.password_hash, u.role
         from tickets t join users u on u.id = t.requester_id join teams tm on tm.id = t.team_id
         where t.id = $1`,
        [ticketId],
      )
    ).rows
    expect(ticket).toMatchObject({
      subject: 'Printer on fire',
      team: 'Support',
      email: 'ada@customer.test',
      password_hash: null,
      role: 'customer',
    })
    const [message] = await messagesOf(ticketId)
    expect(message).toMatchObject({ body: 'The printer is on fire.\nPlease help.', via: 'email' })
    const files = (
      await sql.query(
        'select filename, content_type, size, sha256 from attachments where ticket_id = $1 order by filename',
        [ticketId],
      )
    ).rows
    expect(files).toEqual([
      {
        filename: 'notes.txt',
        content_type: 'text/plain; charset=utf-8',
        size: '11',
        sha256: createHash('sha256').update('plain notes').digest('hex'),
      },
      {
        filename: 'report.pdf',
        content_type: 'application/pdf',
        size: String(pdf.length),
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    ])
  })

  it('is acknowledged in its thread, with a link for the new customer to set a password', async () => {
    const [ack] = await mailpit.waitFor('to:ada@customer.test subject:"Printer on fire"')
    const headers = await headersOf(mailpit, ack!.ID)
    expect(headers['Auto-Submitted']).toBe('auto-replied')
    expect(headers['In-Reply-To']).toMatch(/^<test-.*@customer\.test>$/)
    const message = await mailpit.message(ack!.ID)
    expect(message.ReplyTo[0]?.Address).toMatch(/^support\+[a-z2-7]{24}@acme\.test$/)
    const [invitation] = await mailpit.waitFor('to:ada@customer.test subject:"invited"')
    expect((await mailpit.message(invitation!.ID)).Text).toContain('/set-password?token=')
  })

  it('threads a reply by In-Reply-To, trimming the quoted history but keeping it', async () => {
    const [ack] = await mailpit.waitFor('to:ada@customer.test subject:"Printer on fire"')
    const read = await send({
      from: 'ada@customer.test',
      subject: 'Re: Printer on fire',
      inReplyTo: `<${ack!.MessageID}>`,
      references: [`<${ack!.MessageID}>`],
      text: 'It is out now.\n\nOn Mon, 7 Dec 2026 at 10:00, Helpdesk <support@acme.test> wrote:\n> We received your request',
      messageId: messageId(),
    })
    expect(read).toMatchObject({ outcome: 'replied', ticket_id: ticketId })
    const last = (await messagesOf(ticketId)).at(-1)
    expect(last?.body).toBe('It is out now.')
    expect(last?.full_body).toContain('> We received your request')
  })

  it('threads a reply by the token in the address when every header is gone', async () => {
    const [ack] = await mailpit.waitFor('to:ada@customer.test subject:"Printer on fire"')
    const replyTo = (await mailpit.message(ack!.ID)).ReplyTo[0]?.Address as string
    const read = await send({
      from: 'ada@customer.test',
      to: replyTo,
      subject: 'printer',
      text: 'One more thing.',
      messageId: messageId(),
    })
    expect(read).toMatchObject({ outcome: 'replied', ticket_id: ticketId })
  })

  it('does not let a stranger’s mail into someone else’s ticket', async () => {
    const [ack] = await mailpit.waitFor('to:ada@customer.test subject:"Printer on fire"')
    const read = await send({
      from: 'mallory@elsewhere.test',
      subject: 'Re: Printer on fire',
      inReplyTo: `<${ack!.MessageID}>`,
      text: 'Let me in.',
      messageId: messageId(),
    })
    expect(read.outcome).toBe('created')
    expect(read.ticket_id).not.toBe(ticketId)
  })

  it('shows HTML only sanitized: no scripts, remote images or CSS tricks; text from it', async () => {
    const read = await send({
      from: 'html@customer.test',
      subject: 'Styled',
      html: `<html><head><style>body{display:none}</style><script>alert(1)</script></head>
        <body onload="steal()"><p style="position:fixed;top:0;color:red;background:url(https://evil.test/x)">Hello <b>there</b></p>
        <img src="https://tracker.test/pixel.gif" alt="logo"><a href="javascript:alert(1)">click</a>
        <a href="https://ok.test/">fine</a><iframe src="https://evil.test"></iframe></body></html>`,
      messageId: messageId(),
    })
    const [message] = await messagesOf(read.ticket_id as string)
    expect(message?.body).toContain('Hello there')
    const html = message?.html_body as string
    expect(html).toContain('<b>there</b>')
    expect(html).toContain('style="color:red"')
    for (const banned of [
      'script',
      'alert',
      'onload',
      'position',
      'url(',
      'tracker.test',
      'iframe',
      'javascript',
      '<style',
    ]) {
      expect(html).not.toContain(banned)
    }
    expect(html).toContain('href="https://ok.test/"')
  })
})

describe('mail that is never answered', () => {
  async function acknowledgements(address: string) {
    return (
      await sql.query(
        `select 1 from outbound_mail where recipient = $1 and kind = 'ticket_received'`,
        [address],
      )
    ).rowCount
  }

  it('drops our own mail come back (a loop) and bounces', async () => {
    const instance = (
      await sql.query(`select value #>> '{}' as id from app_setting where key = 'instance_id'`)
    ).rows[0].id
    const loop = await send({
      from: 'relay@customer.test',
      subject: 'Looped',
      text: 'x',
      headers: { 'X-Helpdesk-Loop': instance },
      messageId: messageId(),
    })
    expect(loop).toMatchObject({ outcome: 'ignored', reason: 'loop: our own mail' })
    const own = await send({
      from: 'helpdesk@acme.test',
      subject: 'Self',
      text: 'x',
      messageId: messageId(),
    })
    expect(own.reason).toBe('loop: from our own address')
    const bounce = await send({
      from: 'MAILER-DAEMON@mx.customer.test',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'The mail could not be delivered.',
      messageId: messageId(),
    })
    expect(bounce).toMatchObject({ outcome: 'ignored', ticket_id: null })
    expect(bounce.reason).toMatch(/^bounce/)
  })

  it('files automatic mail without answering it', async () => {
    const read = await send({
      from: 'robot@customer.test',
      subject: 'Out of office',
      text: 'I am away.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      messageId: messageId(),
    })
    expect(read.outcome).toBe('created')
    const human = await send({
      from: 'person@customer.test',
      subject: 'Hi',
      text: 'x',
      messageId: messageId(),
    })
    // The person's acknowledgement is queued in the same commit that read their mail.
    expect(human.outcome).toBe('created')
    expect(await acknowledgements('person@customer.test')).toBeGreaterThan(0)
    expect(await acknowledgements('robot@customer.test')).toBe(0)
  })

  it('stops answering a sender who writes too often (a loop with another robot)', async () => {
    for (let index = 0; index < 12; index++) {
      await send({
        from: 'chatty@customer.test',
        subject: `Ping ${index}`,
        text: 'x',
        messageId: messageId(),
      })
    }
    const answered = await acknowledgements('chatty@customer.test')
    expect(answered).toBeGreaterThan(0)
    expect(answered).toBeLessThanOrEqual(11)
    // Invited to set a password once, not with every mail.
    const invitations = await sql.query(
      `select 1 from outbound_mail where recipient = $1 and kind = 'invitation'`,
      ['chatty@customer.test'],
    )
    expect(invitations.rowCount).toBe(1)
  }, 300_000)
})

describe('exactly once', () => {
  it('counts one mail delivered twice once, with two replicas reading', async () => {
    const id = messageId()
    const raw = await composeMail({
      to: CHANNEL_ADDRESS,
      from: 'twice@customer.test',
      subject: 'Delivered twice',
      text: 'Same mail.',
      messageId: id,
    })
    await deliver(dovecot, mailbox, raw)
    await deliver(dovecot, mailbox, raw)
    const sentinel = await send({
      from: 'twice@customer.test',
      subject: 'After',
      text: 'y',
      messageId: messageId(),
    })
    expect(sentinel.outcome).toBe('created')
    const rows = (
      await sql.query('select ticket_id from inbound_messages where message_id = $1', [id])
    ).rows
    expect(rows).toHaveLength(1)
    const tickets = (await sql.query(`select id from tickets where subject = 'Delivered twice'`))
      .rows
    expect(tickets).toHaveLength(1)
    expect(await messagesOf(tickets[0].id)).toHaveLength(1)
    const holders = (
      await sql.query('select lease_owner from mail_channels where id = $1', [channelId])
    ).rows
    expect(holders[0].lease_owner).toBeTruthy()
  })
})

describe('channel status', () => {
  it('shows the last poll, and the server’s words when it cannot log in', async () => {
    const status = await channelStatus()
    expect(status).toMatchObject({ state: 'ok', reading: true })
    expect(status.messagesRead).toBeGreaterThan(10)
    const wrong = await admin.post('/mail/channels', {
      name: 'wrong-password',
      address: 'sales@acme.test',
      host: dovecot.host,
      port: dovecot.port,
      security: 'none',
      username: mailbox.user,
      password: 'not the password',
    })
    expect(wrong.status).toBe(201)
    const { id } = wrong.body as { id: string }
    const failed = await eventually(async () => {
      const channel = (await admin.get(`/mail/channels/${id}`)).body as {
        status: { state: string; lastError: string }
      }
      return channel.status.state === 'error' && channel.status
    })
    expect(failed.lastError).toMatch(/auth/i)
    expect(JSON.stringify(await admin.get('/mail/channels'))).not.toContain('not the password')
    const [stored] = (
      await sql.query('select password_sealed from mail_channels where id = $1', [id])
    ).rows
    expect(stored.password_sealed).toMatch(/^hd1:/)
    expect((await admin.delete(`/mail/channels/${id}`)).status).toBe(204)
    const activity = (await admin.get(`/mail/channels/${channelId}/messages?limit=2`)).body as {
      items: { outcome: string }[]
      nextCursor: string | null
    }
    expect(activity.items).toHaveLength(2)
    expect(activity.nextCursor).toBeTruthy()
  })
})
