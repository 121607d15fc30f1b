// Input schemas of the tickets area. Text goes through routes/text.ts: no control
// characters, lengths in characters, the same rules the OpenAPI document states.
import { z } from 'zod'
import { multiLine, shaped, singleLine } from '../routes/text.ts'
import { TICKET_PRIORITIES, TicketPriority, TicketStatus } from './vocabulary.ts'

export const Subject = singleLine({ max: 200 })

/** Markdown source. Stored and served as text: clients render it, the API never does. */
export const MessageBody = multiLine({ max: 100_000 })

/** Spaces, punctuation other than `- . : _`, symbols of Latin-1, controls. */
const NOT_IN_TAGS =
  '\\x00-\\x2C\\x2F\\x3B-\\x40\\x5B-\\x5E\\x60\\x7B-\\xBF\\u1680\\u2000-\\u206F\\u2E00-\\u2E7F\\u3000-\\u303F\\uFEFF'
/** …and a tag starts with a letter, digit or symbol, not with `- . : _`. */
const NOT_FIRST_IN_TAGS = `${NOT_IN_TAGS}\\x2D\\x2E\\x3A\\x5F`

/**
 * Lower-cased on the way in, so `Billing` and `billing` are one tag. Letters, digits and
 * symbols of any script with `_ . : -` between them: no spaces, no other punctuation, no
 * control characters (written as ranges to exclude, so that every JSON Schema tool reads it).
 */
export const Tag = shaped(
  new RegExp(`^[^${NOT_FIRST_IN_TAGS}][^${NOT_IN_TAGS}]*$`),
  'no spaces or punctuation but _ . : - (not first)',
  { max: 50 },
).transform((tag) => tag.toLowerCase())

/** The most tags one ticket holds. */
export const MAX_TAGS = 30

export const Tags = z
  .array(Tag)
  .max(MAX_TAGS)
  .transform((tags) => [...new Set(tags)])

export const SearchText = singleLine({ max: 200 })

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

/** How many tickets one bulk change may name: a page of a queue. */
export const MAX_BULK_TICKETS = 100

/** One change for many tickets; tags are added and removed, since the tickets' tags differ. */
export const BulkChange = z
  .strictObject({
    status: TicketStatus.optional(),
    priority: TicketPriority.optional(),
    assigneeId: z.uuid().nullable().optional().describe('An agent or admin; null: nobody'),
    teamId: z.uuid().nullable().optional().describe('null: no team'),
    addTags: Tags.optional(),
    removeTags: Tags.optional(),
  })
  .refine(
    (change) => Object.values(change).some((value) => value !== undefined),
    'name at least one change',
  )
  .meta({ minProperties: 1 })

export const BulkTicketChanges = z.object({
  ticketIds: z
    .array(z.uuid())
    .min(1)
    .max(MAX_BULK_TICKETS)
    .transform((ids) => [...new Set(ids)])
    .describe(`The tickets to change, 1 to ${MAX_BULK_TICKETS}; a repeated id counts once`),
  change: BulkChange,
})
export type BulkTicketChanges = z.output<typeof BulkTicketChanges>

export const NewMessage = z.object({
  body: MessageBody,
  internal: z.boolean().optional(),
  /** Send and set the status in one step, under the same rules as a PATCH of the status. */
  status: TicketStatus.optional().describe(
    'Set the ticket to this status with the message, in one transaction (same rules as PATCH)',
  ),
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
    )
    // As many items as priorities, and each priority among them: one item each.
    .meta({
      allOf: TICKET_PRIORITIES.map((priority) => ({
        contains: { type: 'object', properties: { priority: { const: priority } } },
      })),
    }),
})
