// Output shapes of the mail area: settings with the SMTP server in use, and the outbox.
import { z } from 'zod'
import { iso, isoOrNull } from '../routes/shapes.ts'
import type { OutboundMailRow } from './queries.ts'

export const MailSettingsOut = z.object({
  senderName: z.string(),
  senderAddress: z.string(),
  signature: z.string(),
  notificationWindowSeconds: z.number().int(),
  /** The server from configuration (SMTP_*); null: mail is kept in the outbox unsent. */
  smtp: z
    .object({
      host: z.string(),
      port: z.number().int(),
      security: z.enum(['starttls', 'tls', 'none']),
      authenticated: z.boolean(),
    })
    .nullable(),
  outbox: z.object({
    queued: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    held: z.number().int(),
  }),
})

export const OutboxItemOut = z.object({
  id: z.uuid(),
  messageId: z.string(),
  kind: z.string(),
  to: z.string(),
  ticketId: z.uuid().nullable(),
  subject: z.string(),
  status: z.enum(['queued', 'sent', 'failed', 'held']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
})

export const OutboundMailOut = OutboxItemOut.extend({
  from: z.string(),
  replyTo: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  text: z.string(),
  html: z.string(),
})

export function presentOutboxItem(row: OutboundMailRow): z.input<typeof OutboxItemOut> {
  return {
    id: row.id,
    messageId: row.message_id,
    kind: row.kind,
    to: row.recipient,
    ticketId: row.ticket_id,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    createdAt: iso(row.created_at),
    sentAt: isoOrNull(row.sent_at),
  }
}

export function presentOutboundMail(row: OutboundMailRow): z.input<typeof OutboundMailOut> {
  return {
    ...presentOutboxItem(row),
    from: `${row.from_name} <${row.from_address}>`,
    replyTo: row.reply_to,
    headers: row.headers,
    text: row.text_body,
    html: row.html_body,
  }
}
