// A list of tickets that loads more by cursor. Agents see who and what is due; customers see
// their request and its state.
import type { Ticket } from '../api/types.ts'
import type { PagedList } from '../hooks/data.ts'
import { Link } from '../router/router.tsx'
import { formatDateTime, formatRelative } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'
import { PriorityBadge, SlaIndicator, StatusBadge, TagList } from './Badges.tsx'

export interface TicketListProps {
  list: PagedList<Ticket>
  audience: 'agent' | 'customer'
  /** Shown when nothing matches. */
  emptyTitle: string
  emptyHint?: string
}

export function TicketList({ list, audience, emptyTitle, emptyHint }: TicketListProps) {
  if (list.state === 'loading') return <Loading label="Loading tickets…" />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) {
    return <EmptyState title={emptyTitle}>{emptyHint && <p>{emptyHint}</p>}</EmptyState>
  }
  return (
    <>
      <ul className="ticket-list">
        {list.items.map((ticket) => (
          <li key={ticket.id}>
            <TicketRow ticket={ticket} audience={audience} />
          </li>
        ))}
      </ul>
      <div className="list-footer">
        <p className="list-count" role="status">
          {list.items.length} {list.items.length === 1 ? 'ticket' : 'tickets'}
          {list.hasMore ? ' shown; there are more' : ''}
        </p>
        <LoadMore list={list} label="Load more" />
      </div>
    </>
  )
}

function TicketRow({
  ticket,
  audience,
}: {
  ticket: Ticket
  audience: TicketListProps['audience']
}) {
  const href = audience === 'agent' ? `/tickets/${ticket.id}` : `/requests/${ticket.id}`
  return (
    <article className="ticket-row">
      <div className="ticket-row-main">
        <h2 className="ticket-row-subject">
          <Link to={href}>
            <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
          </Link>
        </h2>
        <p className="ticket-row-meta">
          {audience === 'agent' && <span>{ticket.requester.name}</span>}
          {audience === 'agent' && (
            <span>{ticket.assignee ? `Assigned to ${ticket.assignee.name}` : 'Unassigned'}</span>
          )}
          {audience === 'agent' && ticket.team && <span>{ticket.team.name}</span>}
          <span title={formatDateTime(ticket.updatedAt)}>
            Updated {formatRelative(ticket.updatedAt)}
          </span>
        </p>
        {audience === 'agent' && <TagList tags={ticket.tags} limit={5} />}
      </div>
      <div className="ticket-row-badges">
        <StatusBadge status={ticket.status} />
        {audience === 'agent' && <PriorityBadge priority={ticket.priority} />}
        {audience === 'agent' && <SlaIndicator ticket={ticket} />}
      </div>
    </article>
  )
}
