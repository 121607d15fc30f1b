// The history of a ticket: who changed what, and when.
import type { TicketEvent } from '../api/types.ts'
import type { PagedList } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { formatDateTime, humanize } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'

export function Timeline({ list }: { list: PagedList<TicketEvent> }) {
  if (list.state === 'loading') return <Loading label={m.history.loading} />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) return <EmptyState title={m.history.empty} />
  return (
    <>
      <ol className="timeline">
        {list.items.map((event) => (
          <li key={event.id}>
            <p className="timeline-what">
              <strong>{event.actor?.name ?? m.history.system}</strong> {describeEvent(event)}
            </p>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
          </li>
        ))}
      </ol>
      <LoadMore list={list} label={m.history.showMore} />
    </>
  )
}

/** Fields whose values are API words ("on_hold"), with the names the UI gives them ("On hold"). */
const WORD_NAMES: Record<string, Record<string, string | undefined> | undefined> = {
  status: m.common.statuses,
  priority: m.common.priorities,
}

const ACTIONS: Record<string, string> = {
  'ticket.created': m.history.opened,
  'reply.added': m.history.replied,
  'note.added': m.history.addedNote,
  'attachment.added': m.history.attachedFile,
  // What an update did is said by its changes.
  'ticket.updated': '',
}

/** "replied; changed status from New to Open" — what happened, then what it changed. */
export function describeEvent(event: TicketEvent): string {
  const action = ACTIONS[event.action] ?? humanize(event.action.replaceAll('.', ' ')).toLowerCase()
  const changes = Object.entries(event.changes ?? {}).map(([field, { from, to }]) =>
    describeChange(field, from, to),
  )
  return [action, ...changes].filter(Boolean).join('; ') || m.history.updated
}

function describeChange(field: string, from: unknown, to: unknown): string {
  const name = humanize(field.replace(/Id$/, '')).toLowerCase()
  if (Array.isArray(from) && Array.isArray(to)) return describeListChange(name, from, to)
  const names = WORD_NAMES[field]
  // A word this version of the app does not name yet still reads as words.
  const show = (value: unknown) =>
    names && typeof value === 'string' ? (names[value] ?? humanize(value)) : shown(value)
  if (isEmpty(from)) return m.history.set({ field: name, value: show(to) })
  if (isEmpty(to)) return m.history.cleared({ field: name, was: show(from) })
  return m.history.changed({ field: name, from: show(from), to: show(to) })
}

/** Lists (tags) by what was added and removed, not the whole list twice. */
function describeListChange(name: string, from: unknown[], to: unknown[]): string {
  const added = to.filter((item) => !from.includes(item))
  const removed = from.filter((item) => !to.includes(item))
  return [
    added.length > 0 ? m.history.added({ field: name, items: added.map(shown).join(', ') }) : '',
    removed.length > 0
      ? m.history.removed({ field: name, items: removed.map(shown).join(', ') })
      : '',
  ]
    .filter(Boolean)
    .join('; ')
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0)
}

/** A person or team by name; anything else as it is. */
function shown(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'name' in value) return String(value.name)
  return String(value)
}
