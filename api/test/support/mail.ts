// Mail in tests: real servers from the harness (Mailpit receives what the API sends and
// answers for it over HTTP; Dovecot holds the mailboxes mail channels read), mails composed
// by nodemailer's MIME builder and delivered into a mailbox with IMAP APPEND.
import { setTimeout as sleep } from 'node:timers/promises'
import type { DovecotServer, MailboxAccount, MailpitServer } from '@helpdesk/harness'
import { ImapFlow } from 'imapflow'
import MailComposer from 'nodemailer/lib/mail-composer'
import type Mail from 'nodemailer/lib/mailer'
import type { Environment } from '../../src/config.ts'

/** The SMTP_* settings that send the API's mail to this Mailpit. */
export function smtpEnvironment(mailpit: MailpitServer): Environment {
  return {
    SMTP_HOST: mailpit.host,
    SMTP_PORT: String(mailpit.smtpPort),
    SMTP_SECURITY:
      mailpit.tls === 'implicit' ? 'tls' : mailpit.tls === 'starttls' ? 'starttls' : 'none',
    ...(mailpit.auth ? { SMTP_USER: mailpit.auth.user, SMTP_PASSWORD: mailpit.auth.password } : {}),
    ...(mailpit.caFile ? { SMTP_TLS_CA_FILE: mailpit.caFile } : {}),
  }
}

/** Polls `check` until it returns something other than undefined/false. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 60_000, what = 'the condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const result = await check()
      if (result !== undefined && result !== false) return result
    } catch (error) {
      last = error
    }
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

/** A mail as bytes, composed like a mail program would (MIME, encodings, attachments). */
export async function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build()
}

/** Delivers a mail into an account's INBOX, as an MTA would. */
export async function deliver(
  dovecot: DovecotServer,
  account: MailboxAccount,
  mail: Buffer,
): Promise<void> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: account.user, pass: account.password },
    logger: false,
  })
  await client.connect()
  try {
    await client.append('INBOX', mail)
  } finally {
    await client.logout()
  }
}

/** Every header of a Mailpit message as one value (the first). */
export async function headersOf(
  mailpit: MailpitServer,
  id: string,
): Promise<Record<string, string>> {
  const headers = await mailpit.headers(id)
  return Object.fromEntries(
    Object.entries(headers).map(([name, values]) => [name, values[0] ?? '']),
  )
}
