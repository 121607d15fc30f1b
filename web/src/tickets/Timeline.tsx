// The history of a ticket: who changed what, and when.
import type { TicketEvent } from '../api/types.ts'
import type { PagedList } from '../app/data.ts'
import { formatDateTime, humanize } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/States.tsx'

export function Timeline({ list }: { list: PagedList<TicketEvent> }) {
  if (list.state === 'loading') return <Loading label="Loading history…" />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) return <EmptyState title="No changes yet" />
  return (
    <>
      <ol className="timeline">
        {list.items.map((event) => (
          <li key={event.id}>
            <p className="timeline-what">
              <strong>{event.actor?.name ?? 'Helpdesk'}</strong> {describeEvent(event)}
            </p>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
          </li>
        ))}
      </ol>
      {list.hasMore && (
        <button
          type="button"
          className="button"
          onClick={list.loadMore}
          disabled={list.loadingMore}
        >
          {list.loadingMore ? 'Loading…' : 'Show more history'}
        </button>
      )}
      <InlineError error={list.moreError} />
    </>
  )
}

/** "changed status from New to Open; added tags billing" — or the action itself. */
export function describeEvent(event: TicketEvent): string {
  const changes = Object.entries(event.changes ?? {})
  if (changes.length === 0) return humanize(event.action.replaceAll('.', ' ')).toLowerCase()
  return changes.map(([field, { from, to }]) => describeChange(field, from, to)).join('; ')
}

function describeChange(field: string, from: unknown, to: unknown): string {
  const name = humanize(field.replace(/Id$/, '')).toLowerCase()
  if (isEmpty(from)) return `set ${name} to ${show(to)}`
  if (isEmpty(to)) return `cleared ${name} (was ${show(from)})`
  return `changed ${name} from ${show(from)} to ${show(to)}`
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0)
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(', ')
  if (typeof value === 'object' && value !== null && 'name' in value) return String(value.name)
  if (typeof value === 'string') return /^[a-z_]+$/.test(value) ? humanize(value) : value
  return String(value)
}
