// Writes of the mail area. `queueMail` is the transactional outbox: the mail is a row written
// in the caller's transaction, with a job that sends it — so a mail exists exactly when the
// change that caused it committed, and survives an SMTP server that is down.
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import type { Config } from '../config.ts'
import { HttpError } from '../errors.ts'
import { requeue } from '../jobs/queue.ts'
import {
  domainOf,
  newMessageId,
  newReplyToken,
  replyAddress,
  ticketRootMessageId,
} from './addresses.ts'
import {
  findOutboundMail,
  findThread,
  MAIL_SETTING_KEYS,
  type MailSettings,
  type MailThread,
  readMailSettings,
} from './queries.ts'
import type { RenderedMail } from './templates.ts'

export const SEND_MAIL_JOB = 'mail.send'

export type MailKind =
  | 'notification'
  | 'ticket_received'
  | 'password_reset'
  | 'invitation'
  | 'email_verification'
  | 'account_exists'
  | 'test'

export interface NewMail {
  kind: MailKind
  to: { address: string; name?: string; userId?: string }
  ticketId?: string
  replyTo?: string
  content: RenderedMail
  /** Extra headers: threading, Auto-Submitted, List-Unsubscribe. */
  headers?: Record<string, string>
}

/** The key of a mail's send job: one job per mail, however often it is retried. */
export function sendJobKey(id: string): string {
  return `mail:${id}`
}

/**
 * Writes the mail into the outbox and queues its sending, both inside `em`'s transaction.
 * Returns the new row's id and Message-ID.
 */
export async function queueMail(
  em: EntityManager,
  config: Config,
  mail: NewMail,
  settings?: MailSettings,
): Promise<{ id: string; messageId: string }> {
  const sender = settings ?? (await readMailSettings(em, config))
  const messageId = newMessageId(domainOf(sender.senderAddress))
  const [row] = await em.execute<{ id: string }[]>(
    `insert into outbound_mail (message_id, kind, from_address, from_name, recipient,
       recipient_id, ticket_id, reply_to, subject, text_body, html_body, headers)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning id`,
    [
      messageId,
      mail.kind,
      sender.senderAddress,
      sender.senderName,
      mail.to.address,
      mail.to.userId ?? null,
      mail.ticketId ?? null,
      mail.replyTo ?? null,
      mail.content.subject,
      mail.content.text,
      mail.content.html,
      JSON.stringify(mail.headers ?? {}),
    ],
  )
  const id = (row as { id: string }).id
  await requeue(em, SEND_MAIL_JOB, { id }, sendJobKey(id))
  return { id, messageId }
}

/** Stores the given settings (the others keep theirs), audited with what changed. */
export async function changeMailSettings(
  em: EntityManager,
  config: Config,
  origin: AuditOrigin,
  changes: Partial<MailSettings>,
): Promise<MailSettings> {
  return em.transactional(async (tx) => {
    const before = await readMailSettings(tx, config)
    for (const [name, value] of Object.entries(changes) as [keyof MailSettings, unknown][]) {
      if (value === undefined) continue
      await tx.execute(
        `insert into app_setting (key, value, updated_at) values (?, ?::jsonb, now())
         on conflict (key) do update set value = excluded.value, updated_at = now()`,
        [MAIL_SETTING_KEYS[name], JSON.stringify(value)],
      )
    }
    const after = await readMailSettings(tx, config)
    const changed = (Object.keys(after) as (keyof MailSettings)[]).filter(
      (name) => before[name] !== after[name],
    )
    if (changed.length > 0) {
      // Which settings changed, not their text: the signature may name people.
      await recordAudit(tx, origin, {
        action: 'mail.settings_updated',
        targetType: 'settings',
        details: { changed },
      })
    }
    return after
  })
}

/** Sends a mail again now — a dead letter, or one held while no SMTP server was configured. */
export async function retryMail(em: EntityManager, origin: AuditOrigin, id: string) {
  return em.transactional(async (tx) => {
    const mail = await findOutboundMail(tx, id, { forUpdate: true })
    if (mail.status === 'sent') {
      throw new HttpError('conflict', { detail: 'this mail was sent already' })
    }
    await tx.execute(
      `update outbound_mail set status = 'queued', next_attempt_at = null, last_error = null
       where id = ?`,
      [id],
    )
    await requeue(tx, SEND_MAIL_JOB, { id }, sendJobKey(id))
    await recordAudit(tx, origin, { action: 'mail.retried', targetType: 'mail', targetId: id })
    return findOutboundMail(tx, id)
  })
}

/**
 * The ticket's mail thread, made on first use: an unguessable reply token and the Message-ID
 * its mails refer to (the customer's first mail when the ticket came by mail).
 */
export async function ensureThread(
  em: EntityManager,
  ticketId: string,
  options: { domain: string; rootMessageId?: string; channelId?: string | null },
): Promise<MailThread> {
  await em.execute(
    `insert into mail_threads (ticket_id, reply_token, root_message_id, channel_id)
     values (?, ?, ?, ?) on conflict (ticket_id) do nothing`,
    [
      ticketId,
      newReplyToken(),
      options.rootMessageId ?? ticketRootMessageId(ticketId, options.domain),
      options.channelId ?? null,
    ],
  )
  return (await findThread(em, ticketId)) as MailThread
}

/** In-Reply-To and References that put a mail into its ticket's thread in mail programs. */
export function threadHeaders(thread: MailThread): Record<string, string> {
  const parent = thread.lastInboundMessageId ?? thread.rootMessageId
  const references = [thread.rootMessageId, ...(parent === thread.rootMessageId ? [] : [parent])]
  return { 'In-Reply-To': parent, References: references.join(' ') }
}

/** The address answers to a ticket's mails go to, when a mail channel reads them back. */
export function threadReplyAddress(thread: MailThread, channelAddress: string | null) {
  return channelAddress ? replyAddress(channelAddress, thread.replyToken) : undefined
}
