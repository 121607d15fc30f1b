// One request as its customer sees it: the public conversation, a reply box, and the
// choice to mark it solved or reopen it. No agent controls exist on this page.
import { useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Ticket } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { ClosedNotice } from '../tickets/ClosedNotice.tsx'
import { Composer } from '../tickets/Composer.tsx'
import { Conversation } from '../tickets/Conversation.tsx'
import { TicketHeader } from '../tickets/TicketHeader.tsx'
import { useTicket } from '../tickets/useTicket.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, InlineError, Loading, StatusLine } from '../ui/States.tsx'

export function RequestPage({ id }: { id: string }) {
  const { user } = useSession()
  const { ticket, messages, saved, messageSent, closedMeanwhile } = useTicket(id)
  if (ticket.result.state === 'loading') return <Loading label={m.portal.loadingRequest} />
  if (ticket.result.state === 'error') {
    return (
      <section className="page">
        <PageHeading title={m.portal.request} />
        <ErrorState error={ticket.result.error} onRetry={ticket.reload} />
      </section>
    )
  }
  const current = ticket.result.data
  return (
    <div className="ticket-page ticket-page-customer">
      <TicketHeader
        ticket={current}
        back={{ to: '/requests', label: m.portal.myRequests }}
        audience="customer"
      />
      <ResolutionControl ticket={current} onSaved={saved} />
      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">{m.ticket.conversation}</h2>
        <Conversation list={messages} viewer={user} />
        {current.status === 'closed' ? (
          <ClosedNotice ticket={current} audience="customer" onSaved={saved} />
        ) : (
          <Composer
            ticketId={current.id}
            allowInternal={false}
            onSent={messageSent}
            onClosed={closedMeanwhile}
          />
        )}
      </section>
    </div>
  )
}

function ResolutionControl({ ticket, onSaved }: { ticket: Ticket; onSaved(ticket: Ticket): void }) {
  const { busy, error, run } = useAction()
  const [status, setStatus] = useState('')
  if (ticket.status === 'closed') return null
  const solved = ticket.status === 'solved'

  const change = () =>
    run(async () => {
      try {
        onSaved(await tickets.update(ticket.id, { status: solved ? 'open' : 'solved' }))
      } catch (failure) {
        if (!(failure instanceof ApiError && failure.status === 412)) throw failure
        // It changed meanwhile (a reply, the team solved it): show it as it is now.
        onSaved(await tickets.get(ticket.id))
        throw new Error(m.portal.changedMeanwhile)
      }
      setStatus(solved ? m.portal.reopened : m.portal.markedSolved)
    })

  return (
    <div className="resolution">
      <p>{solved ? m.portal.solvedQuestion : m.portal.sortedQuestion}</p>
      <button type="button" className="button" onClick={change} disabled={busy}>
        {solved ? m.portal.reopen : m.portal.markSolved}
      </button>
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
    </div>
  )
}
