import { TICKET_SORTS, type TicketFilters, type TicketSort } from '../api/types.ts'
import { humanize } from '../ui/format.ts'

/** Statuses that still need an agent: pending waits for the customer, solved is done. */
export const WORKING_STATUSES = 'new,open,on_hold'

export interface Queue {
  id: string
  label: string
  filters: TicketFilters
}

export const QUEUES: Queue[] = [
  { id: 'mine', label: 'My open tickets', filters: { assigneeId: 'me', status: WORKING_STATUSES } },
  {
    id: 'unassigned',
    label: 'Unassigned',
    filters: { assigneeId: 'none', status: WORKING_STATUSES },
  },
  { id: 'open', label: 'All open', filters: { status: WORKING_STATUSES } },
  { id: 'pending', label: 'Pending', filters: { status: 'pending' } },
  { id: 'solved', label: 'Solved', filters: { status: 'solved' } },
]

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
}

/**
 * Names what the filters actually select. A queue keeps its name while filters only narrow
 * it (priority, team, tag); once they replace its status or assignee it is another view,
 * named by them — "All open" with Status = Closed lists closed tickets, and says so.
 */
export function currentView(
  query: URLSearchParams,
  nameOf: (agentId: string) => string | undefined = () => undefined,
): View {
  if (query.get('q')?.trim()) return { title: 'Search results' }
  const queue = queueById(query.get('queue'))
  const { status, assigneeId } = effectiveFilters(query)
  if (status === queue.filters.status && assigneeId === queue.filters.assigneeId) {
    return { title: queue.label, queueId: queue.id }
  }
  const statuses = status === WORKING_STATUSES ? 'open' : describeStatuses(status)
  if (assigneeId === 'none') return { title: `Unassigned ${statuses} tickets` }
  const tickets = `${humanize(statuses)} tickets`
  if (assigneeId === 'me') return { title: `${tickets} assigned to me` }
  if (assigneeId) return { title: `${tickets} assigned to ${nameOf(assigneeId) ?? 'an agent'}` }
  return { title: tickets }
}

/** "pending,on_hold" → "pending or on hold"; none → "all". */
function describeStatuses(status: string | undefined): string {
  const names = (status ?? '').split(',').filter(Boolean)
  if (names.length === 0) return 'all'
  return names.map((name) => humanize(name).toLowerCase()).join(' or ')
}

/** A sort the API knows; anything else in the URL is ignored. */
function isSort(value: string | null): value is TicketSort {
  return (TICKET_SORTS as readonly (string | null)[]).includes(value)
}
