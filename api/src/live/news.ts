// What the tickets feature announces after a commit (the bus carries it between processes),
// and what a subscriber is sent of it: ids and a kind, never content.
import { z } from 'zod'
import { announce } from '../platform/announcements.ts'

export const LiveEventKind = z.enum(['ticket.created', 'ticket.changed', 'message.added'])
export type LiveEventKind = z.infer<typeof LiveEventKind>

/**
 * One piece of news on the bus. `requesterId` and `internal` decide who may hear it
 * (audience.ts) and are never sent.
 */
export const TicketNews = z.object({
  kind: LiveEventKind,
  ticketId: z.uuid(),
  requesterId: z.uuid(),
  messageId: z.uuid().optional(),
  /** An internal note: staff only. */
  internal: z.boolean().optional(),
})
export type TicketNews = z.infer<typeof TicketNews>

/** The `data` of a stream event of one of the kinds above. */
export const LiveEventOut = z.object({
  kind: LiveEventKind,
  ticketId: z.uuid(),
  messageId: z.uuid().optional().describe('set for message.added'),
})

export function liveEventOf(news: TicketNews): z.infer<typeof LiveEventOut> {
  return {
    kind: news.kind,
    ticketId: news.ticketId,
    ...(news.messageId ? { messageId: news.messageId } : {}),
  }
}

/** Called by ticket commands after their transaction: see platform/announcements.ts. */
export function announceTicket(news: TicketNews): void {
  announce(news)
}
