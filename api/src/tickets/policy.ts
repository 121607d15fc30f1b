import { definePolicy, type PolicyActor } from '../policies/policy.ts'

export interface TicketTarget {
  requesterId: string
}

const requested = (actor: PolicyActor, ticket: TicketTarget) => actor.userId === ticket.requesterId
const requesterOrStaff = { customer: requested, agent: true, admin: true } as const

/**
 * Customers see and work only the tickets they requested (404 for others); agents and admins
 * work every ticket. Customers may only solve or reopen (`resolve`), reply and attach; internal
 * notes, and the history about them, are staff's alone.
 */
export const tickets = definePolicy<TicketTarget>()(
  'tickets',
  {
    list: { customer: true, agent: true, admin: true },
    create: { customer: true, agent: true, admin: true },
    /** File a ticket on someone else's behalf (`requesterId`). */
    createForOthers: { agent: true, admin: true },
    /** Give a new ticket any priority; customers only those the settings offer them. */
    chooseAnyPriority: { agent: true, admin: true },
    read: requesterOrStaff,
    update: { agent: true, admin: true },
    resolve: requesterOrStaff,
    reply: requesterOrStaff,
    /** Write and read internal notes. */
    internal: { agent: true, admin: true },
    attach: requesterOrStaff,
  },
  { visible: requesterOrStaff },
)

/** SLA targets: staff read them (due times follow from them), admins change them. */
export const slaPolicies = definePolicy<never>()('sla-policies', {
  read: { agent: true, admin: true },
  update: { admin: true },
})
