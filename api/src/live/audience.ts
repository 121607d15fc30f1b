// Who hears a piece of news: exactly who may read what it is about, by the ticket policy. A
// customer hears of their own tickets only, and never of an internal note, nor of presence.
import type { Actor } from '../http/actor.ts'
import { can } from '../policies/policy.ts'
import { tickets } from '../tickets/policy.ts'
import type { TicketNews } from './news.ts'
import { ticketPresence } from './policy.ts'
import type { PresenceNews } from './presence.ts'

export function mayHear(actor: Actor, news: TicketNews): boolean {
  const ticket = { requesterId: news.requesterId }
  if (!can(actor, tickets.read, ticket)) return false
  return !news.internal || can(actor, tickets.internal, ticket)
}

/** Who is on a ticket is heard by staff, never by customers, and never of oneself. */
export function mayHearPresence(actor: Actor, news: PresenceNews): boolean {
  return news.userId !== actor.userId && can(actor, ticketPresence.see)
}
