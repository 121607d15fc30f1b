// A customer's own requests, newest activity first.
import { tickets } from '../api/endpoints.ts'
import { usePaged } from '../hooks/data.ts'
import { useLiveRefresh } from '../hooks/live.tsx'
import { messages as m } from '../i18n/messages.ts'
import { Link } from '../router/router.tsx'
import { TicketList } from '../tickets/TicketList.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'

export function RequestsPage() {
  const list = usePaged('my-requests', (cursor, signal) => tickets.list({}, cursor, signal))
  // The stream brings news of this customer's own requests only.
  useLiveRefresh(() => true, list.reload, 1_000)
  return (
    <section className="page">
      <div className="page-title-row">
        <PageHeading title={m.portal.myRequests} />
        <Link to="/requests/new" className="button button-primary">
          {m.portal.newRequest}
        </Link>
      </div>
      <TicketList
        list={list}
        audience="customer"
        emptyTitle={m.portal.noRequests}
        emptyHint={m.portal.noRequestsHint}
      />
    </section>
  )
}
