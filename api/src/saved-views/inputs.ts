// Input schemas of the saved views area, and the one form a view's query is kept in.
import { z } from 'zod'
import { defineErrorType, type FieldError, HttpError } from '../errors.ts'
import { encodedText, singleLine } from '../routes/text.ts'
import { TicketListQuery } from '../tickets/filters.ts'

/**
 * 422, not 400: the body is well formed (the query is any text), what the text says is not a
 * list the view can open — a filter the list refuses, or a page (limit, cursor), since a view
 * names which tickets and in what order, never where.
 */
export const VIEW_QUERY_REFUSED = defineErrorType('view_query_refused', {
  status: 422,
  title: 'The ticket list does not take this query as a view',
})

const ViewName = singleLine({ min: 1, max: 80 })

/** Checked against the ticket list's own schema when the view is written (viewQuery below). */
const ViewQuery = encodedText({ max: 2000 }).describe(
  'The ticket list’s query string without limit or cursor, e.g. status=open,pending&priority=urgent&sort=created',
)

export const NewSavedView = z.object({ name: ViewName, query: ViewQuery })
export type NewSavedView = z.output<typeof NewSavedView>

export const SavedViewChanges = z.object({
  name: ViewName.optional(),
  query: ViewQuery.optional(),
})
export type SavedViewChanges = z.output<typeof SavedViewChanges>

/** The list's page parameters. */
const PAGE_KEYS = ['limit', 'cursor']
const FIELD = 'body.query'

/**
 * The query as the list reads it (422 with the field's path when the list would refuse it),
 * written back with its keys in alphabetical order, so equal views have equal text and the web
 * app can tell whether the list on screen is still the view.
 */
export function viewQuery(text: string): string {
  const params = new URLSearchParams(text.replace(/^\?/, ''))
  const paged = PAGE_KEYS.filter((key) => params.has(key))
  if (paged.length > 0) {
    throw new HttpError(VIEW_QUERY_REFUSED, {
      detail: `a saved view cannot hold ${paged.join(' or ')}`,
      errors: paged.map((key) => ({ path: `${FIELD}.${key}`, message: 'not allowed in a view' })),
    })
  }
  const parsed = TicketListQuery.safeParse(asQueryObject(params))
  if (!parsed.success) {
    const errors: FieldError[] = parsed.error.issues.map((issue) => ({
      path: [FIELD, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }))
    throw new HttpError(VIEW_QUERY_REFUSED, {
      detail: 'the ticket list refuses this query',
      errors,
    })
  }
  return serialize(parsed.data)
}

/** A repeated key becomes a list, as Koa reads a query string, so the schema refuses it alike. */
function asQueryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    query[key] = values.length === 1 ? (values[0] as string) : values
  }
  return query
}

function serialize(query: TicketListQuery): string {
  const entries: [string, string][] = []
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) entries.push([key, Array.isArray(value) ? value.join(',') : value])
  }
  entries.sort(([a], [b]) => (a < b ? -1 : 1))
  return new URLSearchParams(entries).toString()
}
