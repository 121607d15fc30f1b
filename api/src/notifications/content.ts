// What one notification mail says: the items queued for one person, grouped by ticket. One
// ticket gives a mail in that ticket's thread; several give a digest with a part per ticket.
import type { Block } from '../mail/templates.ts'
import type { NotificationEvent } from './rules.ts'

export interface NotificationItem {
  event: NotificationEvent
  actorName: string | null
  details: Record<string, unknown>
  /** The reply or first message this item carries (never an internal note). */
  message: { author: string; at: Date; body: string } | null
}

export interface TicketItems {
  ticketId: string
  number: number
  subject: string
  /** Where the person opens the ticket in the web app. */
  url: string
  items: NotificationItem[]
}

export function ticketSubject(ticket: Pick<TicketItems, 'number' | 'subject'>): string {
  return `[#${ticket.number}] ${ticket.subject}`
}

export function notificationSubject(tickets: TicketItems[]): string {
  if (tickets.length === 1) return ticketSubject(tickets[0] as TicketItems)
  const count = tickets.reduce((sum, ticket) => sum + ticket.items.length, 0)
  return `${count} updates on ${tickets.length} tickets`
}

export function notificationBlocks(tickets: TicketItems[]): Block[] {
  const digest = tickets.length > 1
  return tickets.flatMap((ticket) => [
    ...(digest ? [{ kind: 'heading', text: ticketSubject(ticket) } as const] : []),
    ...ticket.items.flatMap((item) => itemBlocks(item, ticket)),
    { kind: 'action', label: `Open #${ticket.number}`, url: ticket.url } as const,
  ])
}

function itemBlocks(item: NotificationItem, ticket: TicketItems): Block[] {
  const who = item.actorName ?? 'Helpdesk'
  const quoted: Block[] = item.message
    ? [
        {
          kind: 'message',
          author: item.message.author,
          at: item.message.at,
          text: item.message.body,
        },
      ]
    : []
  switch (item.event) {
    case 'agentReply':
      return quoted
    case 'customerReply':
      return [{ kind: 'paragraph', text: `${who} replied on #${ticket.number}.` }, ...quoted]
    case 'newTicket':
      return [
        { kind: 'paragraph', text: `New ticket #${ticket.number} in your team: ${ticket.subject}` },
        ...quoted,
      ]
    case 'assigned':
      return [{ kind: 'paragraph', text: `${who} assigned #${ticket.number} to you.` }]
    case 'ticketStatus': {
      const status = String(item.details.status ?? 'solved')
      return [
        {
          kind: 'paragraph',
          text:
            status === 'closed'
              ? `Your request #${ticket.number} was closed.`
              : `Your request #${ticket.number} was marked solved. If it is not, reply to reopen it.`,
        },
      ]
    }
    case 'slaBreach':
      return [{ kind: 'paragraph', text: `#${ticket.number} missed its service-level target.` }]
    case 'ticketReceived':
      return []
  }
}

/** Mail that carries what a person wrote is a person's mail; the rest is automatic. */
export function carriesHumanText(tickets: TicketItems[]): boolean {
  return tickets.some((ticket) =>
    ticket.items.some((item) => item.event === 'agentReply' && item.message !== null),
  )
}
