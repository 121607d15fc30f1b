// What stands in for the composer on a closed ticket: the API takes no more messages on it
// (409), so the page says why before anyone writes, and offers what each person may do —
// staff may reopen it; its requester may not (only a solved ticket goes back to open), so
// they are pointed to a new request.
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Ticket } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link } from '../router/router.tsx'
import { InlineError } from '../ui/States.tsx'

export function ClosedNotice({
  ticket,
  audience,
  onSaved,
}: {
  ticket: Ticket
  audience: 'agent' | 'customer'
  onSaved(ticket: Ticket): void
}) {
  if (audience === 'customer') {
    return (
      <div className="resolution closed-notice">
        <p>{m.ticket.closedForCustomer}</p>
        <Link to="/requests/new" className="button">
          {m.portal.newRequest}
        </Link>
      </div>
    )
  }
  return <ReopenControl ticket={ticket} onSaved={onSaved} />
}

function ReopenControl({ ticket, onSaved }: { ticket: Ticket; onSaved(ticket: Ticket): void }) {
  const { busy, error, run } = useAction()
  // Once open again the page shows the composer in place of this notice: that says it worked.
  const reopen = () =>
    run(async () => {
      try {
        onSaved(await tickets.update(ticket.id, { status: 'open' }))
      } catch (failure) {
        if (!(failure instanceof ApiError && failure.status === 412)) throw failure
        // Changed meanwhile: show it as it is now, so the person decides again.
        onSaved(await tickets.get(ticket.id))
        throw new Error(m.ticket.changedMeanwhile)
      }
    })
  return (
    <div className="resolution closed-notice">
      <p>{m.ticket.closedForAgent}</p>
      <button type="button" className="button" onClick={reopen} disabled={busy}>
        {busy ? m.ticket.reopening : m.ticket.reopen}
      </button>
      <InlineError error={error} />
    </div>
  )
}
