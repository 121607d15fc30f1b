// Input schemas of the tickets area. Text reaches Postgres, which refuses NUL characters:
// every schema excludes them, so bad input is a 400 rather than a failed query.
import { z } from 'zod'
import { TICKET_PRIORITIES, TicketPriority, TicketStatus } from './vocabulary.ts'

const NO_CONTROL = /^[^\p{Cc}]*$/u
const NO_NUL = /^[^\0]*$/

export const Subject = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(NO_CONTROL, 'no control characters (line breaks, tabs...)')

/** Markdown source. Stored and served as text: clients render it, the API never does. */
export const MessageBody = z
  .string()
  .max(100_000)
  .regex(NO_NUL, 'no NUL characters')
  .refine((body) => body.trim().length > 0, 'must not be empty')

/** Lower-cased on the way in, so `Billing` and `billing` are one tag. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.:-]*$/u, 'letters, digits and _ . : - only; no spaces')

export const Tags = z
  .array(Tag)
  .max(30)
  .transform((tags) => [...new Set(tags)])

export const SearchText = z.string().trim().min(1).max(200).regex(NO_NUL, 'no NUL characters')

export const NewTicket = z.object({
  subject: Subject,
  body: MessageBody,
  priority: TicketPriority.optional(),
  tags: Tags.optional(),
  /** Staff only: file the ticket for this user. */
  requesterId: z.uuid().optional(),
})
export type NewTicket = z.output<typeof NewTicket>

export const TicketChanges = z.object({
  subject: Subject.optional(),
  status: TicketStatus.optional(),
  priority: TicketPriority.optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: Tags.optional(),
})
export type TicketChanges = z.output<typeof TicketChanges>

export const NewMessage = z.object({
  body: MessageBody,
  internal: z.boolean().optional(),
})
export type NewMessage = z.output<typeof NewMessage>

/** A year: beyond that an SLA target means nothing. */
const MAX_MINUTES = 525_600

export const SlaPolicyItem = z.strictObject({
  priority: TicketPriority,
  firstResponseMinutes: z.number().int().min(1).max(MAX_MINUTES),
  resolutionMinutes: z.number().int().min(1).max(MAX_MINUTES),
})
export type SlaPolicyItem = z.infer<typeof SlaPolicyItem>

/** The whole set of targets: one item per priority. */
export const SlaPolicyItems = z.object({
  items: z
    .array(SlaPolicyItem)
    .length(TICKET_PRIORITIES.length)
    .refine(
      (items) => new Set(items.map((item) => item.priority)).size === items.length,
      'one item per priority',
    ),
})
