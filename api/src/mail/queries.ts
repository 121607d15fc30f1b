// Reads of the mail area: the mail settings, the outbox (newest first, keyset pages), one
// outgoing mail, and a ticket's mail thread.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import type { Config } from '../config.ts'
import { HttpError } from '../errors.ts'
import { decodeCursor, PostgresTimestamp, runKeysetQuery } from '../routes/pagination.ts'
import { defaultSenderAddress } from './addresses.ts'

/** What admins set about outgoing mail; kept in app_setting. */
export interface MailSettings {
  senderName: string
  senderAddress: string
  /** Plain text under every mail. */
  signature: string
  /** Notifications to one person within this many seconds are combined into one mail. */
  notificationWindowSeconds: number
}

export const MAIL_SETTING_KEYS: Record<keyof MailSettings, string> = {
  senderName: 'mail_sender_name',
  senderAddress: 'mail_sender_address',
  signature: 'mail_signature',
  notificationWindowSeconds: 'notification_window_seconds',
}

export const DEFAULT_NOTIFICATION_WINDOW_SECONDS = 60

export async function readMailSettings(em: EntityManager, config: Config): Promise<MailSettings> {
  const rows = await em.execute<{ key: string; value: unknown }[]>(
    'select key, value from app_setting where key in (?)',
    [Object.values(MAIL_SETTING_KEYS)],
  )
  const stored = new Map(rows.map((row) => [row.key, row.value]))
  const text = (name: keyof MailSettings, fallback: string) => {
    const value = stored.get(MAIL_SETTING_KEYS[name])
    return typeof value === 'string' ? value : fallback
  }
  const window = stored.get(MAIL_SETTING_KEYS.notificationWindowSeconds)
  return {
    senderName: text('senderName', 'Helpdesk'),
    senderAddress: text('senderAddress', defaultSenderAddress(config.publicUrl)),
    signature: text('signature', ''),
    notificationWindowSeconds:
      typeof window === 'number' ? window : DEFAULT_NOTIFICATION_WINDOW_SECONDS,
  }
}

export const OUTBOX_STATUSES = ['queued', 'sent', 'failed', 'held'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export interface OutboundMailRow {
  id: string
  message_id: string
  kind: string
  from_address: string
  from_name: string
  recipient: string
  recipient_id: string | null
  ticket_id: string | null
  reply_to: string | null
  subject: string
  text_body: string
  html_body: string
  headers: Record<string, string>
  status: OutboxStatus
  attempts: number
  last_error: string | null
  next_attempt_at: Date | null
  created_at: Date
  sent_at: Date | null
  /** created_at as Postgres prints it (microseconds), for cursors. */
  created_text: string
}

const COLUMNS = `id, message_id, kind, from_address, from_name, recipient, recipient_id, ticket_id,
  reply_to, subject, text_body, html_body, headers, status, attempts, last_error, next_attempt_at,
  created_at, sent_at, created_at::text as created_text`

/** `limit + 1` rows of the outbox (see toPage), newest first; `status` narrows it (failed: the dead letters). */
export async function outboxPage(
  em: EntityManager,
  request: { limit: number; cursor?: string | undefined; status?: OutboxStatus | undefined },
) {
  const after = decodeCursor(request.cursor, z.tuple([PostgresTimestamp, z.uuid()]))
  const conditions: string[] = []
  const values: unknown[] = []
  if (request.status) {
    conditions.push('status = ?')
    values.push(request.status)
  }
  if (after) {
    conditions.push('(created_at, id) < (?::timestamptz, ?::uuid)')
    values.push(after[0], after[1])
  }
  return runKeysetQuery<OutboundMailRow>(
    em,
    `select ${COLUMNS} from outbound_mail
     ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
     order by created_at desc, id desc limit ?`,
    [...values, request.limit + 1],
  )
}

export async function findOutboundMail(
  em: EntityManager,
  id: string,
  { forUpdate = false } = {},
): Promise<OutboundMailRow> {
  const [row] = await em.execute<OutboundMailRow[]>(
    `select ${COLUMNS} from outbound_mail where id = ? ${forUpdate ? 'for update' : ''}`,
    [id],
  )
  if (!row) throw new HttpError('not_found', { detail: 'no such mail' })
  return row
}

/** How many mails wait, were sent, failed or are held: the outbox at a glance. */
export async function outboxCounts(em: EntityManager): Promise<Record<OutboxStatus, number>> {
  const rows = await em.execute<{ status: OutboxStatus; count: string }[]>(
    'select status, count(*) as count from outbound_mail group by status',
  )
  const counts = { queued: 0, sent: 0, failed: 0, held: 0 }
  for (const row of rows) counts[row.status] = Number(row.count)
  return counts
}

export interface MailThread {
  ticketId: string
  replyToken: string
  rootMessageId: string
  lastInboundMessageId: string | null
  channelId: string | null
}

export async function findThread(em: EntityManager, ticketId: string): Promise<MailThread | null> {
  const [row] = await em.execute<
    {
      ticket_id: string
      reply_token: string
      root_message_id: string
      last_inbound_message_id: string | null
      channel_id: string | null
    }[]
  >(
    `select ticket_id, reply_token, root_message_id, last_inbound_message_id, channel_id
     from mail_threads where ticket_id = ?`,
    [ticketId],
  )
  return row
    ? {
        ticketId: row.ticket_id,
        replyToken: row.reply_token,
        rootMessageId: row.root_message_id,
        lastInboundMessageId: row.last_inbound_message_id,
        channelId: row.channel_id,
      }
    : null
}

/** The ticket a reply token names, if any. */
export async function ticketOfReplyToken(em: EntityManager, token: string): Promise<string | null> {
  const [row] = await em.execute<{ ticket_id: string }[]>(
    'select ticket_id from mail_threads where reply_token = ?',
    [token],
  )
  return row?.ticket_id ?? null
}

/** The ticket one of our outgoing mails (by Message-ID) was about. */
export async function ticketOfOutboundMessageIds(
  em: EntityManager,
  messageIds: string[],
): Promise<string | null> {
  if (messageIds.length === 0) return null
  const [row] = await em.execute<{ ticket_id: string }[]>(
    `select ticket_id from outbound_mail
     where message_id in (?) and ticket_id is not null
     order by created_at desc limit 1`,
    [messageIds],
  )
  if (row) return row.ticket_id
  const [root] = await em.execute<{ ticket_id: string }[]>(
    'select ticket_id from mail_threads where root_message_id in (?) limit 1',
    [messageIds],
  )
  return root?.ticket_id ?? null
}

/**
 * The mailbox answers about a ticket are read from: the channel it came in through, else one
 * serving its team, else the oldest enabled channel; null when no channel reads mail.
 */
export async function replyChannelAddress(
  em: EntityManager,
  ticketId: string,
): Promise<string | null> {
  const [row] = await em.execute<{ address: string }[]>(
    `select c.address from mail_channels c
     left join mail_threads th on th.ticket_id = ? and th.channel_id = c.id
     left join tickets t on t.id = ? and t.team_id = c.team_id
     where c.enabled
     order by (th.ticket_id is not null) desc, (t.id is not null) desc, c.created_at
     limit 1`,
    [ticketId, ticketId],
  )
  return row?.address ?? null
}
