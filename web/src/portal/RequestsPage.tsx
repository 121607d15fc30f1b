// A customer's own requests, newest activity first.
import { tickets } from '../api/endpoints.ts'
import { usePaged } from '../hooks/data.ts'
import { Link } from '../router/router.tsx'
import { TicketList } from '../tickets/TicketList.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'

export function RequestsPage() {
  const list = usePaged('my-requests', (cursor, signal) => tickets.list({}, cursor, signal))
  return (
    <section className="page">
      <div className="page-title-row">
        <PageHeading title="My requests" />
        <Link to="/requests/new" className="button button-primary">
          New request
        </Link>
      </div>
      <TicketList
        list={list}
        audience="customer"
        emptyTitle="You have no requests yet"
        emptyHint="When you need help, create a new request and we will get back to you."
      />
    </section>
  )
}
