import type { Ticket } from '../api/types.ts'
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
        <Link to={back.to}>← {back.label}</Link>
      </p>
      <PageHeading title={`#${ticket.number} ${ticket.subject}`}>
        <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
      </PageHeading>
      <div className="ticket-header-meta">
        <StatusBadge status={ticket.status} />
        {audience === 'agent' && <PriorityBadge priority={ticket.priority} />}
        {audience === 'agent' && <SlaIndicator ticket={ticket} all />}
        <span className="muted">
          Opened by {ticket.requester.name} on {formatDateTime(ticket.createdAt)}
        </span>
      </div>
    </header>
  )
}
