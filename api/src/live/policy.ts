import { definePolicy } from '../policies/policy.ts'

/**
 * Presence on a ticket ("Ada is viewing", "Ada is replying") is staff's among themselves: a
 * customer neither announces it (their reading is not news to agents) nor hears it. Every
 * agent works every ticket, so no rule looks at the ticket.
 */
export const ticketPresence = definePolicy<never>()('ticket-presence', {
  announce: { agent: true, admin: true },
  see: { agent: true, admin: true },
})
