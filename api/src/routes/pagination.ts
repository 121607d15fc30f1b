// Keyset pagination for every list: `?limit=` (1–100, default 25) and an opaque `?cursor=`
// holding the sort key of the last item served, so pages stay stable under inserts.
import { DriverException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { shaped } from './text.ts'

export const DEFAULT_PAGE_SIZE = 25
export const MAX_PAGE_SIZE = 100

/**
 * A page's cursor: opaque, only ever a `nextCursor` the same list answered (anything else is
 * a 400). The OpenAPI document marks it with this format; its links say where values come from.
 */
export const CURSOR_FORMAT = 'opaque-cursor'

/** Spread into a route's query schema: `.query(z.object({ ...PageQuery, status: ... }))`. */
export const PageQuery = {
  // Digits only: coercion would take " 5", "1e1" or "0x10" for numbers, which the document
  // (an integer) does not allow.
  limit: z
    .string()
    .refine((value) => /^[0-9]{1,4}$/.test(value), `a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .pipe(z.number().min(1).max(MAX_PAGE_SIZE))
    .meta({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
    .default(DEFAULT_PAGE_SIZE),
  cursor: shaped(/^[A-Za-z0-9_-]+$/, 'the nextCursor of the previous page', { max: 1024 })
    .meta({ format: CURSOR_FORMAT, description: 'The nextCursor of the previous page' })
    .optional(),
}

/** Text inside a cursor (a name): what Postgres can compare, never a NUL. */
export const KeyText = z
  .string()
  .max(1024)
  .regex(/^[^\0]*$/)

/** A timestamp as Postgres writes it (cursors carry them at full, microsecond precision). */
export const PostgresTimestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/)

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

/** Comma-separated values of an enum in a query string, no spaces: `status=new,open`. */
export function commaList<const T extends readonly [string, ...string[]]>(values: T) {
  const value = `(?:${values.join('|')})`
  return z
    .string()
    .regex(
      new RegExp(`^${value}(?:,${value})*$`),
      `comma-separated, each one of ${values.join(', ')}`,
    )
    .transform((text) => [...new Set(text.split(','))] as T[number][])
}

/**
 * Runs a keyset query. A cursor whose values pass its shape but that Postgres still cannot
 * read is bad input, not a fault: a data exception (SQLSTATE class 22) answers 400.
 */
export async function runKeysetQuery<Row>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<Row[]> {
  try {
    return await em.execute<Row[]>(sql, params)
  } catch (error) {
    if (error instanceof DriverException && String(error.code).startsWith('22')) {
      throw new HttpError('validation_error', {
        detail: 'invalid query',
        errors: [{ path: 'query.cursor', message: 'not a cursor of this list' }],
      })
    }
    throw error
  }
}
