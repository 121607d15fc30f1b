// Reads of the channels area: channels with where their reading stands, and what each one
// read (the activity an admin checks when a mail did not become a ticket).
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { decodeCursor, PostgresTimestamp, runKeysetQuery } from '../routes/pagination.ts'

export interface ChannelRow {
  id: string
  name: string
  address: string
  team_id: string | null
  team_name: string | null
  host: string
  port: number
  security: 'tls' | 'starttls' | 'none'
  username: string
  password_sealed: string | null
  mailbox: string
  mode: 'idle' | 'poll'
  poll_seconds: number
  enabled: boolean
  source: 'admin' | 'configuration'
  uid_validity: string | null
  last_uid: string
  lease_owner: string | null
  lease_until: string | Date | null
  last_poll_at: string | Date | null
  last_status: 'ok' | 'error' | null
  last_error: string | null
  last_error_at: string | Date | null
  messages_read: string
  created_at: string | Date
}

const COLUMNS = `c.id, c.name, c.address, c.team_id, t.name as team_name, c.host, c.port, c.security,
  c.username, c.password_sealed, c.mailbox, c.mode, c.poll_seconds, c.enabled, c.source,
  c.uid_validity, c.last_uid, c.lease_owner, c.lease_until, c.last_poll_at, c.last_status,
  c.last_error, c.last_error_at, c.messages_read, c.created_at`

export async function listChannels(em: EntityManager): Promise<ChannelRow[]> {
  return em.execute<ChannelRow[]>(
    `select ${COLUMNS} from mail_channels c left join teams t on t.id = c.team_id
     order by c.name`,
  )
}

export async function findChannel(
  em: EntityManager,
  id: string,
  { forUpdate = false } = {},
): Promise<ChannelRow> {
  const [row] = await em.execute<ChannelRow[]>(
    `select ${COLUMNS} from mail_channels c left join teams t on t.id = c.team_id
     where c.id = ? ${forUpdate ? 'for update of c' : ''}`,
    [id],
  )
  if (!row) throw new HttpError('not_found', { detail: 'no such channel' })
  return row
}

/** Every address mail is read from: mail from one of them to another is a loop. */
export async function channelAddresses(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ address: string }[]>('select address from mail_channels')
  return rows.map((row) => row.address)
}

export interface InboundRow {
  id: string
  channel_id: string | null
  message_id: string
  from_address: string
  subject: string
  outcome: 'created' | 'replied' | 'ignored'
  reason: string | null
  ticket_id: string | null
  ticket_number: number | null
  received_at: string | Date
  received_text: string
}

/** `limit + 1` rows (see toPage) of what a channel read, newest first. */
export async function inboundPage(
  em: EntityManager,
  channelId: string,
  request: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(request.cursor, z.tuple([PostgresTimestamp, z.uuid()]))
  return runKeysetQuery<InboundRow>(
    em,
    `select i.id, i.channel_id, i.message_id, i.from_address, i.subject, i.outcome, i.reason,
       i.ticket_id, t.number as ticket_number, i.received_at, i.received_at::text as received_text
     from inbound_messages i left join tickets t on t.id = i.ticket_id
     where i.channel_id = ? ${after ? 'and (i.received_at, i.id) < (?::timestamptz, ?::uuid)' : ''}
     order by i.received_at desc, i.id desc limit ?`,
    [channelId, ...(after ? [after[0], after[1]] : []), request.limit + 1],
  )
}

/** The ticket a mail we read before belongs to (a customer's own earlier message). */
export async function ticketOfInboundMessageIds(
  em: EntityManager,
  messageIds: string[],
): Promise<string | null> {
  if (messageIds.length === 0) return null
  const [row] = await em.execute<{ ticket_id: string }[]>(
    `select ticket_id from inbound_messages
     where message_id in (?) and ticket_id is not null order by received_at desc limit 1`,
    [messageIds],
  )
  return row?.ticket_id ?? null
}

/** How many mails this sender wrote in the last hour: a loop breaker's count. */
export async function recentMailsFrom(em: EntityManager, address: string): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(
    `select count(*) as count from inbound_messages
     where from_address = ? and received_at > now() - interval '1 hour'`,
    [address],
  )
  return Number(row?.count ?? 0)
}
