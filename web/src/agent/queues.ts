import { type SavedView, TICKET_SORTS, type TicketFilters, type TicketSort } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { humanize } from '../ui/format.ts'

/** Statuses that still need an agent: pending waits for the customer, solved is done. */
export const WORKING_STATUSES = 'new,open,on_hold'

export interface Queue {
  id: string
  label: string
  filters: TicketFilters
  /**
   * Counted in the navigation. Views of every ticket or every closed one are not: their
   * counts grow without bound and would be recounted on every change anyone makes.
   */
  counted: boolean
}

export const QUEUES: Queue[] = [
  {
    id: 'mine',
    label: m.queue.queues.mine,
    filters: { assigneeId: 'me', status: WORKING_STATUSES },
    counted: true,
  },
  {
    id: 'unassigned',
    label: m.queue.queues.unassigned,
    filters: { assigneeId: 'none', status: WORKING_STATUSES },
    counted: true,
  },
  { id: 'open', label: m.queue.queues.open, filters: { status: WORKING_STATUSES }, counted: true },
  { id: 'pending', label: m.queue.queues.pending, filters: { status: 'pending' }, counted: true },
  { id: 'solved', label: m.queue.queues.solved, filters: { status: 'solved' }, counted: true },
  { id: 'closed', label: m.queue.queues.closed, filters: { status: 'closed' }, counted: false },
  { id: 'all', label: m.queue.queues.all, filters: {}, counted: false },
]

/** The queue a team's view narrows: the team's tickets that still need an agent. */
export const TEAM_QUEUE = 'open'

/** The address of a team's view. */
export const teamViewPath = (teamId: string) =>
  `/tickets?queue=${TEAM_QUEUE}&teamId=${encodeURIComponent(teamId)}`

export const DEFAULT_QUEUE = 'mine'

/** The URL's query parameters that narrow a queue (besides the search text `q`). */
export const FILTER_KEYS = ['status', 'priority', 'assigneeId', 'teamId', 'tag'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

export function queueById(id: string | null): Queue {
  return (
    QUEUES.find((queue) => queue.id === id) ??
    (QUEUES.find((queue) => queue.id === DEFAULT_QUEUE) as Queue)
  )
}

/**
 * The queue's own filters, overridden by whatever the person chose in the filter bar. A
 * search looks through every ticket (narrowed only by explicit filters): whoever searches
 * for a ticket rarely knows which queue it sits in.
 */
export function effectiveFilters(query: URLSearchParams): TicketFilters {
  const q = query.get('q')?.trim()
  const filters: TicketFilters = q ? { q } : { ...queueById(query.get('queue')).filters }
  for (const key of FILTER_KEYS) {
    const value = query.get(key)
    if (value) filters[key] = value
  }
  const sort = query.get('sort')
  if (isSort(sort)) filters.sort = sort
  return filters
}

/** What the page lists: its heading, and the queue it still is (if any). */
export interface View {
  title: string
  /** Unset when the filters chose other tickets than any queue's (say, closed ones). */
  queueId?: string
  /** Set for a team's view (its open tickets). */
  teamId?: string
  /** Set while the list is still one of the person's saved views, unchanged. */
  savedViewId?: string
}

/** The name of the saved view the URL opened (`view=<id>`), a query parameter like `queue`. */
export const SAVED_VIEW_PARAM = 'view'

/**
 * The ticket-list query the page shows, in one form: keys in alphabetical order, empty ones
 * left out. The API keeps a saved view's query in the same order, but both sides go through
 * this before they are compared, so an encoding difference never hides a match.
 */
export function normalQuery(query: string | TicketFilters): string {
  const entries =
    typeof query === 'string'
      ? [...new URLSearchParams(query)]
      : Object.entries(query).map(([key, value]) => [key, value ?? ''])
  const kept = entries
    .filter(([, value]) => value !== '')
    .sort(([a = ''], [b = '']) => (a < b ? -1 : 1))
  return new URLSearchParams(kept).toString()
}

/** What the page lists, as a saved view would keep it. */
export const viewQueryOf = (query: URLSearchParams) => normalQuery(effectiveFilters(query))

/** Where a saved view opens: no queue of its own beneath it, only its query. */
export function savedViewPath(view: Pick<SavedView, 'id' | 'query'>): string {
  const query = normalQuery(view.query)
  const opened = `/tickets?queue=all&${SAVED_VIEW_PARAM}=${encodeURIComponent(view.id)}`
  return query ? `${opened}&${query}` : opened
}

/** The saved view the URL opened, while the filters on screen are still its own. */
export function openSavedView(
  query: URLSearchParams,
  views: readonly SavedView[],
): SavedView | undefined {
  const id = query.get(SAVED_VIEW_PARAM)
  const view = views.find((candidate) => candidate.id === id)
  return view && normalQuery(view.query) === viewQueryOf(query) ? view : undefined
}

/**
 * Names what the filters actually select. A saved view the URL opened keeps its name until a
 * filter changes. A queue keeps its name while filters only narrow it (priority, team, tag);
 * once they replace its status or assignee it is another view, named by them — "All open"
 * with Status = Closed lists closed tickets, and says so.
 */
export function currentView(
  query: URLSearchParams,
  nameOf: (agentId: string) => string | undefined = () => undefined,
  teamNameOf: (teamId: string) => string | undefined = () => undefined,
  savedViews: readonly SavedView[] = [],
): View {
  const saved = openSavedView(query, savedViews)
  if (saved) return { title: saved.name, savedViewId: saved.id }
  if (query.get('q')?.trim()) return { title: m.queue.searchResults }
  const queue = queueById(query.get('queue'))
  const { status, assigneeId, teamId } = effectiveFilters(query)
  if (status === queue.filters.status && assigneeId === queue.filters.assigneeId) {
    const team = teamId ? teamNameOf(teamId) : undefined
    if (team && queue.id === TEAM_QUEUE) return { title: m.queue.openIn({ team }), teamId }
    return { title: queue.label, queueId: queue.id }
  }
  const statuses = status === WORKING_STATUSES ? m.queue.statusesOpen : describeStatuses(status)
  if (assigneeId === 'none') return { title: m.queue.unassignedTickets({ statuses }) }
  const tickets = m.queue.tickets({ statuses: humanize(statuses) })
  if (assigneeId === 'me') return { title: m.queue.assignedToMe({ tickets }) }
  if (assigneeId)
    return {
      title: m.queue.assignedTo({ tickets, name: nameOf(assigneeId) ?? m.queue.anAgent }),
    }
  return { title: tickets }
}

/** "pending,on_hold" → "pending or on hold"; none → "all". */
function describeStatuses(status: string | undefined): string {
  const names = (status ?? '').split(',').filter(Boolean)
  if (names.length === 0) return m.queue.statusesAll
  return m.queue.statusesEither({ items: names.map((name) => statusWord(name).toLowerCase()) })
}

/** A status's name from the catalogue; a word from the URL that is none is shown as typed. */
function statusWord(name: string): string {
  return (m.common.statuses as Record<string, string | undefined>)[name] ?? name
}

/** A sort the API knows; anything else in the URL is ignored. */
function isSort(value: string | null): value is TicketSort {
  return (TICKET_SORTS as readonly (string | null)[]).includes(value)
}
