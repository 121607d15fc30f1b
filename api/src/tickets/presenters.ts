// Output shapes of the tickets area (spec/api.md "Tickets") and the functions that make them.
import { z } from 'zod'
import type { AttachmentEntity } from './entities.ts'
import type { TicketRow } from './ticket-query.ts'
import { TicketPriority, TicketStatus } from './vocabulary.ts'

export const Person = z.object({ id: z.uuid(), name: z.string() })
export type Person = z.infer<typeof Person>

export const TicketOut = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  requester: Person,
  assignee: Person.nullable(),
  team: Person.nullable(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  firstResponseDueAt: z.iso.datetime().nullable(),
  resolutionDueAt: z.iso.datetime().nullable(),
  slaBreached: z.boolean(),
})
export type TicketOut = z.infer<typeof TicketOut>

export const AttachmentOut = z.object({
  id: z.uuid(),
  filename: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  sha256: z.string(),
  messageId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
})

export const MessageOut = z.object({
  id: z.uuid(),
  author: Person,
  body: z.string().describe('Markdown source, as written; never rendered HTML'),
  internal: z.boolean(),
  createdAt: z.iso.datetime(),
  attachments: z.array(AttachmentOut),
})

export const TicketEventOut = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: Person.nullable(),
  action: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
})

/** Postgres timestamps (text) and ORM dates alike, as RFC 3339 UTC. */
export function iso(value: string | Date): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString()
}

const isoOrNull = (value: string | Date | null) => (value === null ? null : iso(value))

const personOrNull = (id: string | null, name: string | null) =>
  id === null ? null : { id, name: name ?? '' }

export function presentTicket(row: TicketRow): TicketOut {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    requester: { id: row.requester_id, name: row.requester_name },
    assignee: personOrNull(row.assignee_id, row.assignee_name),
    team: personOrNull(row.team_id, row.team_name),
    tags: row.tags,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    firstResponseDueAt: isoOrNull(row.first_response_due_at),
    resolutionDueAt: isoOrNull(row.resolution_due_at),
    slaBreached: row.sla_breached,
  }
}

export function presentAttachment(attachment: AttachmentEntity): z.infer<typeof AttachmentOut> {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    contentType: attachment.contentType,
    sha256: attachment.sha256,
    messageId: attachment.messageId ?? null,
    createdAt: iso(attachment.createdAt),
  }
}

/** A message as its list query returns it. */
export interface MessageRow {
  id: string
  body: string
  internal: boolean
  created_at: string | Date
  author_id: string
  author_name: string
}

export function presentMessage(
  message: MessageRow,
  attachments: AttachmentEntity[],
): z.infer<typeof MessageOut> {
  return {
    id: message.id,
    author: { id: message.author_id, name: message.author_name },
    body: message.body,
    internal: message.internal,
    createdAt: iso(message.created_at),
    attachments: attachments.map(presentAttachment),
  }
}

/** An event as its list query returns it. */
export interface TicketEventRow {
  id: string
  at: string
  action: string
  changes: Record<string, { from: unknown; to: unknown }>
  actor_id: string | null
  actor_name: string | null
}

export function presentEvent(event: TicketEventRow): z.infer<typeof TicketEventOut> {
  return {
    id: String(event.id),
    at: iso(event.at),
    actor: personOrNull(event.actor_id, event.actor_name),
    action: event.action,
    changes: event.changes,
  }
}
