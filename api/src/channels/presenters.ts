// Output shapes of the channels area: never a password.
import { z } from 'zod'
import { iso, isoOrNull } from '../routes/shapes.ts'
import type { ChannelRow, InboundRow } from './queries.ts'

export const ChannelOut = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  host: z.string(),
  port: z.number().int(),
  security: z.enum(['tls', 'starttls', 'none']),
  username: z.string(),
  mailbox: z.string(),
  mode: z.enum(['idle', 'poll']),
  pollSeconds: z.number().int(),
  enabled: z.boolean(),
  /** configuration: defined by HELPDESK_MAIL_CHANNELS, changed only there. */
  source: z.enum(['admin', 'configuration']),
  status: z.object({
    /** ok or error at the last attempt to read; null before the first. */
    state: z.enum(['ok', 'error']).nullable(),
    lastPollAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
    /** Whether a replica holds the channel's reading right now. */
    reading: z.boolean(),
    messagesRead: z.number().int(),
  }),
  createdAt: z.iso.datetime(),
})

export function presentChannel(row: ChannelRow): z.input<typeof ChannelOut> {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    team: row.team_id && row.team_name ? { id: row.team_id, name: row.team_name } : null,
    host: row.host,
    port: row.port,
    security: row.security,
    username: row.username,
    mailbox: row.mailbox,
    mode: row.mode,
    pollSeconds: row.poll_seconds,
    enabled: row.enabled,
    source: row.source,
    status: {
      state: row.last_status,
      lastPollAt: isoOrNull(row.last_poll_at),
      lastError: row.last_error,
      lastErrorAt: isoOrNull(row.last_error_at),
      reading: row.lease_until !== null && new Date(row.lease_until).getTime() > Date.now(),
      messagesRead: Number(row.messages_read),
    },
    createdAt: iso(row.created_at),
  }
}

export const InboundMessageOut = z.object({
  id: z.uuid(),
  messageId: z.string(),
  from: z.string(),
  subject: z.string(),
  /** created a ticket, replied on one, or ignored (reason says why). */
  outcome: z.enum(['created', 'replied', 'ignored']),
  reason: z.string().nullable(),
  ticket: z.object({ id: z.uuid(), number: z.number().int() }).nullable(),
  receivedAt: z.iso.datetime(),
})

export function presentInboundMessage(row: InboundRow): z.input<typeof InboundMessageOut> {
  return {
    id: row.id,
    messageId: row.message_id,
    from: row.from_address,
    subject: row.subject,
    outcome: row.outcome,
    reason: row.reason,
    ticket:
      row.ticket_id && row.ticket_number !== null
        ? { id: row.ticket_id, number: row.ticket_number }
        : null,
    receivedAt: iso(row.received_at),
  }
}
