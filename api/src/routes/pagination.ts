// Keyset pagination for every list: `?limit=` (1–100, default 25) and an opaque `?cursor=`
// holding the sort key of the last item served, so pages stay stable under inserts.
import { z } from 'zod'
import { HttpError } from '../errors.ts'

export const DEFAULT_PAGE_SIZE = 25
export const MAX_PAGE_SIZE = 100

/** Spread into a route's query schema: `.query(z.object({ ...PageQuery, status: ... }))`. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(1024).optional(),
}

/** `{ items, nextCursor }` with items of the given shape. */
export function pageOf<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

export type CursorKey = (string | number | null)[]

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** The key a cursor holds, checked against the list's own key shape; 400 when it is not one. */
export function decodeCursor<S extends z.ZodType<CursorKey>>(
  cursor: string | undefined,
  shape: S,
): z.output<S> | undefined {
  if (cursor === undefined) return undefined
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    decoded = undefined
  }
  const parsed = shape.safeParse(decoded)
  if (!parsed.success) {
    throw new HttpError('validation_error', {
      detail: 'invalid query',
      errors: [{ path: 'query.cursor', message: 'not a cursor of this list' }],
    })
  }
  return parsed.data
}

/**
 * Fetch `limit + 1` rows; this cuts the extra one off and makes the next cursor from the last
 * item served.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  keyOf: (row: Row) => CursorKey,
): { items: Item[]; nextCursor: string | null } {
  const served = rows.slice(0, limit)
  const last = served.at(-1)
  return {
    items: served.map(present),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  }
}

/** Comma-separated values of an enum in a query string: `status=new,open`. */
export function commaList<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(values)).min(1).max(values.length))
}
