// The ticket list's filters and sort: one definition for the list and count routes and for
// what a saved view keeps (src/saved-views), so a view can only hold a query the list accepts.
import { z } from 'zod'
import { commaList } from '../routes/pagination.ts'
import { SearchText, Tag } from './inputs.ts'
import { TICKET_SORTS } from './queries.ts'
import { TICKET_PRIORITIES, TICKET_STATUSES } from './vocabulary.ts'

/** Spread into a query schema; `assigneeId=me` is the reader, resolved when the list runs. */
export const TicketFilterFields = {
  status: commaList(TICKET_STATUSES).optional(),
  priority: commaList(TICKET_PRIORITIES).optional(),
  assigneeId: z.union([z.enum(['me', 'none']), z.uuid()]).optional(),
  requesterId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  tag: Tag.optional(),
  q: SearchText.optional(),
}

export const TicketSortField = { sort: z.enum(TICKET_SORTS).optional() }

/** What selects and orders a ticket list, without the page (limit and cursor). */
export const TicketListQuery = z.object({ ...TicketFilterFields, ...TicketSortField }).strict()
export type TicketListQuery = z.output<typeof TicketListQuery>
