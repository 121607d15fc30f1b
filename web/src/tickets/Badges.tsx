import type { Ticket, TicketPriority, TicketStatus } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { formatDateTime, formatRelative } from '../ui/format.ts'
import { type SlaTarget, slaTargets } from './sla.ts'

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`badge status-${status}`}>{m.common.statuses[status]}</span>
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return (
    <span className={`badge priority-${priority}`}>
      <span className="visually-hidden">{m.ticket.priorityPrefix}</span>
      {m.common.priorities[priority]}
    </span>
  )
}

/** Tags wrap within their box; past `limit` the rest are summarised as "+N". */
export function TagList({ tags, limit }: { tags: string[]; limit?: number }) {
  if (tags.length === 0) return null
  const shown = limit === undefined ? tags : tags.slice(0, limit)
  const hidden = tags.length - shown.length
  return (
    <ul className="tags" aria-label={m.ticket.tags}>
      {shown.map((tag) => (
        <li key={tag} className="tag">
          {tag}
        </li>
      ))}
      {hidden > 0 && (
        <li className="tag tag-more" title={tags.slice(shown.length).join(', ')}>
          +{hidden}
          <span className="visually-hidden">{m.ticket.moreTags}</span>
        </li>
      )}
    </ul>
  )
}

const LEVEL_TEXT: Record<SlaTarget['level'], (target: SlaTarget, now: number) => string> = {
  breached: (target) => m.sla.breached({ target: target.label }),
  overdue: (target, now) =>
    m.sla.overdue({ target: target.label, when: formatRelative(target.dueAt, now) }),
  'due-soon': (target, now) =>
    m.sla.due({ target: target.label, when: formatRelative(target.dueAt, now) }),
  'on-track': (target, now) =>
    m.sla.due({ target: target.label, when: formatRelative(target.dueAt, now) }),
}

function SlaBadge({ target, now }: { target: SlaTarget; now: number }) {
  return (
    <span className={`badge sla sla-${target.level}`} title={formatDateTime(target.dueAt)}>
      {LEVEL_TEXT[target.level](target, now)}
    </span>
  )
}

/** The soonest running SLA target (lists) or all of them (ticket page). */
export function SlaIndicator({
  ticket,
  all = false,
  now = Date.now(),
}: {
  ticket: Ticket
  all?: boolean
  now?: number
}) {
  const targets = slaTargets(ticket, now)
  const shown = all ? targets : targets.slice(0, 1)
  // A target breached earlier (e.g. a late first response) no longer has a due time.
  const breachedEarlier = ticket.slaBreached && !shown.some((target) => target.level === 'breached')
  if (shown.length === 0 && !breachedEarlier) return null
  return (
    <span className="sla-list">
      {breachedEarlier && <span className="badge sla sla-breached">{m.sla.breachedEarlier}</span>}
      {shown.map((target) => (
        <SlaBadge key={target.label} target={target} now={now} />
      ))}
    </span>
  )
}
