// Mail in and out with production settings. Out: mails per second through the outbox (rows
// written in Postgres, sent by the job queue over SMTP to Mailpit), beside nodemailer sending
// the same mails straight to Mailpit (the ceiling). In: from a mail landing in the IMAP
// mailbox (Dovecot, read with IDLE) to its ticket existing, beside one IMAP APPEND's own
// round trip. Harness Postgres and Redis; the API runs in this process.
import { performance } from 'node:perf_hooks'
import { startDovecot, startMailpit, startPostgres, startRedis } from '@helpdesk/harness'
import nodemailer from 'nodemailer'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { queueMail } from '../src/mail/commands.ts'
import { renderMail } from '../src/mail/templates.ts'
import { composeMail, deliver, smtpEnvironment } from '../test/support/mail.ts'
import { benchAppKeysDir } from './app-keys.ts'

const OUTGOING = 300
const INCOMING = 60
const CHANNEL_ADDRESS = 'support@bench.test'

const [postgres, redis, mailpit, dovecot] = await Promise.all([
  startPostgres({ durable: true }),
  startRedis(),
  startMailpit(),
  startDovecot(),
])
const mailbox = dovecot.createAccount('bench')
const config = loadConfig({
  LOG_LEVEL: 'warn',
  DATABASE_URL: await postgres.createDatabase('mail'),
  REDIS_URL: redis.url,
  HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
  ...smtpEnvironment(mailpit),
  HELPDESK_MAIL_CHANNELS: JSON.stringify([
    {
      name: 'bench',
      address: CHANNEL_ADDRESS,
      host: dovecot.host,
      port: dovecot.port,
      security: 'none',
      user: mailbox.user,
    },
  ]),
  HELPDESK_MAIL_CHANNEL_BENCH_PASSWORD: mailbox.password,
})
const app = await createApp(config, { migrate: true })

try {
  const em = () => app.services.orm.em.fork()
  const content = renderMail(
    {
      subject: 'Benchmark',
      blocks: [{ kind: 'paragraph', text: 'A notification of ordinary length. '.repeat(20) }],
    },
    { signature: 'The support team' },
  )

  // Out, the ceiling: the same mails handed to the same server one after another.
  const transport = nodemailer.createTransport({
    host: mailpit.host,
    port: mailpit.smtpPort,
    secure: false,
    ignoreTLS: true,
  })
  let started = performance.now()
  for (let index = 0; index < OUTGOING; index++) {
    await transport.sendMail({
      from: 'helpdesk@bench.test',
      to: `direct-${index}@bench.test`,
      subject: content.subject,
      text: content.text,
      html: content.html,
    })
  }
  const direct = OUTGOING / ((performance.now() - started) / 1000)
  transport.close()

  // Out: one transaction per mail, as the changes that cause them write them.
  started = performance.now()
  for (let index = 0; index < OUTGOING; index++) {
    await em().transactional((tx) =>
      queueMail(tx, config, {
        kind: 'test',
        to: { address: `outbox-${index}@bench.test` },
        content,
      }),
    )
  }
  await until(async () => {
    const [row] = await em().execute<{ left: string }[]>(
      `select count(*) as left from outbound_mail where status <> 'sent'`,
    )
    return Number(row?.left) === 0
  })
  const outbox = OUTGOING / ((performance.now() - started) / 1000)
  reportRow({
    name: `mail out: ${OUTGOING} mails queued then sent through the outbox`,
    figure: outbox,
    unit: 'mails/s',
    ceilingName: 'nodemailer straight to the SMTP server',
    ceiling: direct,
  })

  // In: the configured channel, read with IDLE, one mail at a time.
  await until(async () => {
    const [row] = await em().execute<{ status: string | null }[]>(
      `select last_status as status from mail_channels where name = 'bench'`,
    )
    return row?.status === 'ok'
  })
  const appends: number[] = []
  const latencies: number[] = []
  for (let index = 0; index < INCOMING; index++) {
    const messageId = `<bench-${index}-${Date.now()}@customer.test>`
    const raw = await composeMail({
      from: `customer-${index}@customer.test`,
      to: CHANNEL_ADDRESS,
      subject: `Request ${index}`,
      text: 'Hello, the printer is on fire again.\n\nThanks',
      messageId,
    })
    const sending = performance.now()
    await deliver(dovecot, mailbox, raw)
    const inMailbox = performance.now()
    appends.push(inMailbox - sending)
    await until(async () => {
      const [row] = await em().execute<{ ticket: string | null }[]>(
        'select ticket_id as ticket from inbound_messages where message_id = ?',
        [messageId],
      )
      return Boolean(row?.ticket)
    })
    latencies.push(performance.now() - inMailbox)
  }
  for (const p of [50, 95] as const) {
    reportRow({
      name: `mail in: mailbox → ticket (IMAP IDLE, ${INCOMING} mails): p${p}`,
      figure: percentile(latencies, p),
      unit: 'ms',
      ceilingName: 'the IMAP APPEND that put it there',
      ceiling: percentile(appends, p),
    })
  }
} finally {
  await app.close()
  await Promise.all([postgres.stop(), redis.stop(), mailpit.stop(), dovecot.stop()])
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5))
}
