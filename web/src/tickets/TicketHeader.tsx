import type { Ticket } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link } from '../router/router.tsx'
import { formatDateTime } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { PriorityBadge, SlaIndicator, StatusBadge } from './Badges.tsx'

export function TicketHeader({
  ticket,
  back,
  audience,
}: {
  ticket: Ticket
  back: { to: string; label: string }
  audience: 'agent' | 'customer'
}) {
  return (
    <header className="ticket-header">
      <p className="back-link">
        <Link to={back.to}>{m.ticket.back({ label: back.label })}</Link>
      </p>
      <PageHeading title={m.ticket.title(ticket)}>
        <span className="ticket-number">{m.ticket.number(ticket)}</span> {ticket.subject}
      </PageHeading>
      <div className="ticket-header-meta">
        <StatusBadge status={ticket.status} />
        {audience === 'agent' && <PriorityBadge priority={ticket.priority} />}
        {audience === 'agent' && <SlaIndicator ticket={ticket} all />}
        <span className="muted">
          {m.ticket.openedBy({
            name: ticket.requester.name,
            date: formatDateTime(ticket.createdAt),
          })}
        </span>
      </div>
    </header>
  )
}
