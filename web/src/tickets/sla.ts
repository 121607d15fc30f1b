import type { Ticket } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'

/** Within this long of a due time, a ticket is flagged as due soon. */
export const DUE_SOON_MS = 2 * 3_600_000

export type SlaLevel = 'breached' | 'overdue' | 'due-soon' | 'on-track'

export interface SlaTarget {
  /** The target's name on screen. */
  label: string
  dueAt: string
  level: SlaLevel
}

const DONE = new Set(['solved', 'closed'])

/** The SLA targets still running for a ticket, soonest first. */
export function slaTargets(ticket: Ticket, now = Date.now()): SlaTarget[] {
  if (DONE.has(ticket.status)) return []
  const targets: SlaTarget[] = []
  const add = (label: string, dueAt: string | null) => {
    if (dueAt) targets.push({ label, dueAt, level: level(dueAt, ticket.slaBreached, now) })
  }
  add(m.sla.firstResponse, ticket.firstResponseDueAt)
  add(m.sla.resolution, ticket.resolutionDueAt)
  return targets.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
}

function level(dueAt: string, breached: boolean, now: number): SlaLevel {
  const remaining = Date.parse(dueAt) - now
  if (remaining < 0) return breached ? 'breached' : 'overdue'
  return remaining <= DUE_SOON_MS ? 'due-soon' : 'on-track'
}
