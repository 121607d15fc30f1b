import { z } from 'zod'

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

export const TicketStatus = z.enum(TICKET_STATUSES)
export const TicketPriority = z.enum(TICKET_PRIORITIES)
export type TicketStatus = z.infer<typeof TicketStatus>
export type TicketPriority = z.infer<typeof TicketPriority>

/** Sort rank of a priority, also stored in the database as `priority_rank` (see migration). */
export const PRIORITY_RANK: Record<TicketPriority, number> = {
  low: 0,
  normal: 1,
  high: 2,
  urgent: 3,
}
