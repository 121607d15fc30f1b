// One change for the tickets selected in a queue: what the agent may choose, the change the
// API is sent, and the answer in plain words (what changed, and why any ticket did not).
import type { BulkChange, BulkResult, Ticket } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'

export const BULK_ACTIONS = [
  { id: 'assign', label: m.bulk.actions.assign },
  { id: 'status', label: m.bulk.actions.status },
  { id: 'priority', label: m.bulk.actions.priority },
  { id: 'addTag', label: m.bulk.actions.addTag },
  { id: 'removeTag', label: m.bulk.actions.removeTag },
  { id: 'team', label: m.bulk.actions.team },
] as const
export type BulkActionId = (typeof BULK_ACTIONS)[number]['id']

/** The value an assign or team action sends for "nobody" / "no team". */
export const NOBODY = 'none'
/** The value an assign action sends for the agent choosing it. */
export const ME = 'me'

/**
 * The change to send for the action and the value chosen, or what is missing. `me` is the
 * signed-in agent's id: "assign to me" means whoever applies it.
 */
export function bulkChangeOf(
  action: BulkActionId,
  value: string,
  me: string,
): BulkChange | { missing: string } {
  const chosen = value.trim()
  if (!chosen) return { missing: missingText[action] }
  switch (action) {
    case 'assign':
      return { assigneeId: chosen === NOBODY ? null : chosen === ME ? me : chosen }
    case 'team':
      return { teamId: chosen === NOBODY ? null : chosen }
    case 'status':
      return { status: chosen as NonNullable<BulkChange['status']> }
    case 'priority':
      return { priority: chosen as NonNullable<BulkChange['priority']> }
    case 'addTag':
      return { addTags: [chosen] }
    case 'removeTag':
      return { removeTags: [chosen] }
  }
}

const missingText: Record<BulkActionId, string> = m.bulk.missing

export interface BulkReport {
  summary: string
  /** One line per ticket that could not be changed: which, and why. */
  failures: string[]
}

/** "3 tickets updated; 1 already was; 2 could not be:", then each refused ticket and why. */
export function describeBulkResult(result: BulkResult, shown: readonly Ticket[]): BulkReport {
  const parts: string[] = []
  if (result.updated > 0 || (result.unchanged === 0 && result.failed === 0)) {
    parts.push(m.bulk.updated({ count: result.updated }))
  }
  if (result.unchanged > 0) {
    parts.push(
      (parts.length ? m.bulk.alsoUnchanged : m.bulk.unchanged)({ count: result.unchanged }),
    )
  }
  if (result.failed > 0) {
    parts.push((parts.length ? m.bulk.alsoFailed : m.bulk.failed)({ count: result.failed }))
  }
  const byId = new Map(shown.map((ticket) => [ticket.id, ticket]))
  const failures = result.results.flatMap(({ ticketId, outcome, error }) => {
    if (outcome !== 'failed') return []
    const ticket = byId.get(ticketId)
    const name = ticket ? m.ticket.title(ticket) : m.bulk.unknownTicket({ id: ticketId })
    return [m.bulk.failure({ ticket: name, reason: reasonOf(error) })]
  })
  return { summary: `${parts.join('; ')}${failures.length ? ':' : '.'}`, failures }
}

function reasonOf(error: BulkResult['results'][number]['error']): string {
  if (!error) return m.bulk.notChanged
  if (error.type === 'not_found') return m.bulk.gone
  if (error.type === 'forbidden') return m.bulk.forbidden
  const text = error.detail ?? error.title
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}
