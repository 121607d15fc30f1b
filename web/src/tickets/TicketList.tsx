// A list of tickets that loads more by cursor. Agents see who and what is due, and may select
// tickets to change them together; customers see their request and its state.
import { useEffect, useRef } from 'react'
import type { Ticket } from '../api/types.ts'
import type { PagedList } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link } from '../router/router.tsx'
import { formatDateTime, formatRelative } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'
import { PriorityBadge, SlaIndicator, StatusBadge, TagList } from './Badges.tsx'

/** The tickets ticked in a list (agent/selection.ts keeps them). */
export interface TicketSelection {
  /** The selected ids, in the order the tickets are shown. */
  ids: string[]
  isSelected(id: string): boolean
  toggle(id: string): void
  /** Every ticket shown is selected (and there is at least one). */
  allShown: boolean
  /** Selects every ticket shown, or none when all already are. */
  toggleAll(): void
}

export interface TicketListProps {
  list: PagedList<Ticket>
  audience: 'agent' | 'customer'
  /** Shown when nothing matches. */
  emptyTitle: string
  emptyHint?: string
  /** A checkbox per ticket and one for all shown (the agent's queue). */
  selection?: TicketSelection
  /** Agents may choose a compact table instead of cards. */
  layout?: 'cards' | 'table'
}

export function TicketList({
  list,
  audience,
  emptyTitle,
  emptyHint,
  selection,
  layout = 'cards',
}: TicketListProps) {
  if (list.state === 'loading') return <Loading label={m.ticketList.loading} />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) {
    return <EmptyState title={emptyTitle}>{emptyHint && <p>{emptyHint}</p>}</EmptyState>
  }
  return (
    <>
      {selection && <SelectAll selection={selection} shown={list.items.length} />}
      {layout === 'table' && audience === 'agent' ? (
        <TicketTable tickets={list.items} selection={selection} />
      ) : (
        <ul className="ticket-list">
          {list.items.map((ticket) => (
            <li key={ticket.id}>
              <TicketRow ticket={ticket} audience={audience} selection={selection} />
            </li>
          ))}
        </ul>
      )}
      <div className="list-footer">
        <p className="list-count" role="status">
          {(list.hasMore ? m.ticketList.countWithMore : m.ticketList.count)({
            count: list.items.length,
          })}
        </p>
        <LoadMore list={list} label={m.ticketList.loadMore} />
      </div>
    </>
  )
}

/** Ticks every ticket shown; half-ticked (mixed) while only some are. */
function SelectAll({ selection, shown }: { selection: TicketSelection; shown: number }) {
  const box = useRef<HTMLInputElement>(null)
  const some = selection.ids.length > 0 && !selection.allShown
  useEffect(() => {
    if (box.current) box.current.indeterminate = some
  }, [some])
  return (
    <label className="select-all">
      <input
        ref={box}
        type="checkbox"
        checked={selection.allShown}
        onChange={selection.toggleAll}
      />
      {m.ticketList.selectAll({ count: shown })}
    </label>
  )
}

function SelectTicket({ ticket, selection }: { ticket: Ticket; selection: TicketSelection }) {
  return (
    <input
      type="checkbox"
      className="ticket-row-select"
      aria-label={m.ticketList.select(ticket)}
      checked={selection.isSelected(ticket.id)}
      onChange={() => selection.toggle(ticket.id)}
    />
  )
}

/** One line per ticket: more of a queue on one screen, tags left for the ticket page. */
function TicketTable({
  tickets,
  selection,
}: {
  tickets: Ticket[]
  selection: TicketSelection | undefined
}) {
  return (
    // Scrolls sideways on its own when a phone is narrower than its columns.
    <div className="ticket-table-wrap">
      <table className="table ticket-table">
        <caption className="visually-hidden">{m.ticketList.caption}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col">
                <span className="visually-hidden">{m.ticketList.columns.selected}</span>
              </th>
            )}
            <th scope="col">{m.ticketList.columns.number}</th>
            <th scope="col">{m.ticketList.columns.subject}</th>
            <th scope="col">{m.ticketList.columns.requester}</th>
            <th scope="col">{m.ticketList.columns.assignee}</th>
            <th scope="col">{m.ticketList.columns.status}</th>
            <th scope="col">{m.ticketList.columns.priority}</th>
            <th scope="col">{m.ticketList.columns.due}</th>
            <th scope="col">{m.ticketList.columns.updated}</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <tr key={ticket.id}>
              {selection && (
                <td>
                  <SelectTicket ticket={ticket} selection={selection} />
                </td>
              )}
              <td className="ticket-number">{ticket.number}</td>
              <td className="ticket-table-subject">
                <Link to={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
              </td>
              <td>{ticket.requester.name}</td>
              <td>{ticket.assignee?.name ?? m.common.unassigned}</td>
              <td>
                <StatusBadge status={ticket.status} />
              </td>
              <td>
                <PriorityBadge priority={ticket.priority} />
              </td>
              <td>
                <SlaIndicator ticket={ticket} />
              </td>
              <td title={formatDateTime(ticket.updatedAt)}>{formatRelative(ticket.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function TicketRow({
  ticket,
  audience,
  selection,
}: {
  ticket: Ticket
  audience: TicketListProps['audience']
  selection: TicketSelection | undefined
}) {
  const href = audience === 'agent' ? `/tickets/${ticket.id}` : `/requests/${ticket.id}`
  return (
    <article className="ticket-row">
      {selection && <SelectTicket ticket={ticket} selection={selection} />}
      <div className="ticket-row-main">
        <h2 className="ticket-row-subject">
          <Link to={href}>
            <span className="ticket-number">{m.ticket.number(ticket)}</span> {ticket.subject}
          </Link>
        </h2>
        <p className="ticket-row-meta">
          {audience === 'agent' && <span>{ticket.requester.name}</span>}
          {audience === 'agent' && (
            <span>
              {ticket.assignee ? m.ticketList.assignedTo(ticket.assignee) : m.common.unassigned}
            </span>
          )}
          {audience === 'agent' && ticket.team && <span>{ticket.team.name}</span>}
          <span title={formatDateTime(ticket.updatedAt)}>
            {m.ticketList.updated({ when: formatRelative(ticket.updatedAt) })}
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
