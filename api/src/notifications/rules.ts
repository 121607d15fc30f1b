// Who hears about what (pure). Customers hear agents' public replies and that their request
// was solved or closed; agents hear of new tickets in their teams, tickets assigned to them,
// customers' replies on their tickets and SLA breaches. Nobody hears of their own doing, and
// an internal note reaches nobody: it is not even an event here.

export const NOTIFICATION_EVENTS = {
  agentReply: { audience: 'customer', label: 'An agent answers my request' },
  ticketStatus: { audience: 'customer', label: 'My request is solved or closed' },
  ticketReceived: { audience: 'customer', label: 'Confirmation when I write in by mail' },
  newTicket: { audience: 'staff', label: 'A new ticket arrives in one of my teams' },
  assigned: { audience: 'staff', label: 'A ticket is assigned to me' },
  customerReply: { audience: 'staff', label: 'A customer replies on a ticket assigned to me' },
  slaBreach: { audience: 'staff', label: 'A ticket of mine (or of my team) misses its SLA' },
} as const

export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS
export const NOTIFICATION_EVENT_NAMES = Object.keys(NOTIFICATION_EVENTS) as NotificationEvent[]

/** Everything is on until the person says otherwise. */
export function defaultPreferences(): Record<NotificationEvent, boolean> {
  return Object.fromEntries(NOTIFICATION_EVENT_NAMES.map((name) => [name, true])) as Record<
    NotificationEvent,
    boolean
  >
}

/** What changed about a ticket, as the tickets area records it. */
export type TicketHappening =
  | { kind: 'created'; messageId: string }
  | { kind: 'reply'; byStaff: boolean; messageId: string }
  | { kind: 'assigned'; to: string | null }
  | { kind: 'team'; to: string | null }
  | { kind: 'status'; to: string }
  | { kind: 'breached' }

export interface TicketPeople {
  requesterId: string
  assigneeId: string | null
  /** Staff members of the ticket's team. */
  teamMembers: string[]
}

export interface Recipient {
  userId: string
  event: NotificationEvent
}

/** Who is told about one happening; `actorId` null for the system (the SLA job). */
export function recipientsOf(
  happening: TicketHappening,
  people: TicketPeople,
  actorId: string | null,
): Recipient[] {
  const to = (userIds: (string | null)[], event: NotificationEvent): Recipient[] =>
    [...new Set(userIds)]
      .filter((id): id is string => id !== null && id !== actorId)
      .map((userId) => ({ userId, event }))
  switch (happening.kind) {
    case 'created':
      return to(people.teamMembers, 'newTicket')
    case 'team':
      return happening.to ? to(people.teamMembers, 'newTicket') : []
    case 'assigned':
      return to([happening.to], 'assigned')
    case 'reply':
      return happening.byStaff
        ? to([people.requesterId], 'agentReply')
        : to([people.assigneeId], 'customerReply')
    case 'status':
      return ['solved', 'closed'].includes(happening.to)
        ? to([people.requesterId], 'ticketStatus')
        : []
    case 'breached':
      return to(people.assigneeId ? [people.assigneeId] : people.teamMembers, 'slaBreach')
  }
}
