// One ticket, as an agent works it: conversation and composer beside its properties and
// history.
import { useSession } from '../hooks/session.tsx'
import { ClosedNotice } from '../tickets/ClosedNotice.tsx'
import { Composer } from '../tickets/Composer.tsx'
import { Conversation } from '../tickets/Conversation.tsx'
import { TicketHeader } from '../tickets/TicketHeader.tsx'
import { Timeline } from '../tickets/Timeline.tsx'
import { useTicket, useTicketHistory } from '../tickets/useTicket.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, Loading } from '../ui/States.tsx'
import { TicketProperties } from './TicketProperties.tsx'

export function AgentTicketPage({ id }: { id: string }) {
  const { user } = useSession()
  const { ticket, messages, saved, messageSent, closedMeanwhile } = useTicket(id)
  const events = useTicketHistory(id)
  if (ticket.result.state === 'loading') return <Loading label="Loading ticket…" />
  if (ticket.result.state === 'error') {
    return (
      <section className="page">
        <PageHeading title="Ticket" />
        <ErrorState error={ticket.result.error} onRetry={ticket.reload} />
      </section>
    )
  }
  const current = ticket.result.data
  const closed = current.status === 'closed'
  return (
    <div className="ticket-page">
      <TicketHeader ticket={current} back={{ to: '/tickets', label: 'Tickets' }} audience="agent" />
      <div className="ticket-columns">
        <section className="ticket-conversation" aria-labelledby="conversation-heading">
          <h2 id="conversation-heading">Conversation</h2>
          <Conversation list={messages} viewer={user} />
          {closed && (
            <ClosedNotice
              ticket={current}
              audience="agent"
              onSaved={(next) => {
                saved(next)
                events.reload()
              }}
            />
          )}
          {/* Hidden, not removed, while closed: a draft cut off by the close survives a reopen. */}
          <div hidden={closed}>
            <Composer
              ticketId={current.id}
              allowInternal
              onSent={(message) => {
                messageSent(message)
                events.reload()
              }}
              onClosed={() => {
                closedMeanwhile()
                events.reload()
              }}
            />
          </div>
        </section>
        <aside className="ticket-side" aria-label="Ticket details">
          <TicketProperties
            ticket={current}
            onSaved={(next) => {
              saved(next)
              events.reload()
            }}
          />
          <section className="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <Timeline list={events} />
          </section>
        </aside>
      </div>
    </div>
  )
}
