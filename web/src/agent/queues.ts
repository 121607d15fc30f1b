import { TICKET_SORTS, type TicketFilters, type TicketSort } from '../api/types.ts'

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
  return QUEUES.find((queue) => queue.id === id) ?? (QUEUES[0] as Queue)
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

/** A sort the API knows; anything else in the URL is ignored. */
function isSort(value: string | null): value is TicketSort {
  return (TICKET_SORTS as readonly (string | null)[]).includes(value)
}
