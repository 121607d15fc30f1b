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

const ACTIONS: Record<string, string> = {
  'ticket.created': 'opened the ticket',
  'reply.added': 'replied',
  'note.added': 'added an internal note',
  // What an update did is said by its changes.
  'ticket.updated': '',
}

/** "replied; changed status from New to Open" — what happened, then what it changed. */
export function describeEvent(event: TicketEvent): string {
  const action = ACTIONS[event.action] ?? humanize(event.action.replaceAll('.', ' ')).toLowerCase()
  const changes = Object.entries(event.changes ?? {}).map(([field, { from, to }]) =>
    describeChange(field, from, to),
  )
  return [action, ...changes].filter(Boolean).join('; ') || 'updated the ticket'
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
