// Output shapes of the tickets area (docs/api.md "Tickets") and the functions that make them.
import { z } from 'zod'
import type { AttachmentEntity } from '../attachments/entities.ts'
import { AttachmentOut, presentAttachment } from '../attachments/presenters.ts'
import { iso, isoOrNull, Person } from '../routes/shapes.ts'
import { SlaPolicyItem } from './inputs.ts'
import type { MessageRow, TicketEventRow, TicketRow } from './queries.ts'
import { TicketPriority, TicketStatus } from './vocabulary.ts'

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

export const MessageOut = z.object({
  id: z.uuid(),
  author: Person,
  body: z.string().describe('Markdown source, as written; never rendered HTML'),
  internal: z.boolean(),
  createdAt: z.iso.datetime(),
  attachments: z.array(AttachmentOut),
  /** web, or email: then `body` is the new text, with quoted history trimmed. */
  via: z.enum(['web', 'email']),
  /** A mail's whole text, quoted history included (null for the web). */
  fullBody: z.string().nullable(),
  /**
   * A mail's HTML, sanitized: no scripts, styles or remote content. Show it only in a
   * sandboxed frame under a restrictive Content-Security-Policy.
   */
  html: z.string().nullable(),
})

export const TicketEventOut = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: Person.nullable(),
  action: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
})

/** All four priorities' targets; one page, so nextCursor is always null. */
export const SlaPolicyList = z.object({ items: z.array(SlaPolicyItem), nextCursor: z.null() })

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
    via: message.via,
    fullBody: message.full_body,
    html: message.html_body,
  }
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

/** Why one ticket of a bulk change was not changed: the problem its own PATCH would answer. */
const TicketProblem = z.object({
  type: z.string().describe('A stable error id, as in a problem+json answer'),
  status: z.number().int(),
  title: z.string(),
  detail: z.string().optional(),
})

export const BulkResultOut = z.object({
  updated: z.number().int().describe('Tickets changed'),
  unchanged: z.number().int().describe('Tickets that already were so'),
  failed: z.number().int().describe('Tickets refused: see their error'),
  results: z
    .array(
      z.object({
        ticketId: z.uuid(),
        outcome: z.enum(['updated', 'unchanged', 'failed']),
        error: TicketProblem.optional(),
      }),
    )
    .describe('One per ticket, in the order asked'),
})

interface Refusal {
  type: string
  status: number
  title: string
  detail: string | undefined
}

type BulkOutcomeName = z.infer<typeof BulkResultOut>['results'][number]['outcome']

export function presentBulkResult(
  outcomes: { ticketId: string; outcome: BulkOutcomeName; error?: Refusal }[],
): z.input<typeof BulkResultOut> {
  const count = (outcome: BulkOutcomeName) =>
    outcomes.filter((each) => each.outcome === outcome).length
  return {
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    results: outcomes.map(({ ticketId, outcome, error }) => ({
      ticketId,
      outcome,
      ...(error
        ? {
            error: {
              type: error.type,
              status: error.status,
              title: error.title,
              ...(error.detail === undefined ? {} : { detail: error.detail }),
            },
          }
        : {}),
    })),
  }
}
