// The SQL behind ticket lists, counts and details (filters, full-text search and keyset
// pagination), and behind a ticket's conversation and history. Every filter and sort has an index (Migration20261128100000_tickets); the
// EXPLAIN test checks that none of these queries reads the tickets table whole.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import {
  decodeCursor,
  encodeCursor,
  PostgresTimestamp,
  runKeysetQuery,
} from '../routes/pagination.ts'
import { SlaPolicy } from './entities.ts'
import type { SlaPolicyItem } from './inputs.ts'
import { recencyWindows } from './recency-blocks.ts'
import {
  PRIORITY_RANK,
  TICKET_PRIORITIES,
  type TicketPriority,
  type TicketStatus,
} from './vocabulary.ts'

export const TICKET_SORTS = ['updated', 'created', 'priority', 'due'] as const
export type TicketSort = (typeof TICKET_SORTS)[number] | 'relevance'

export interface TicketFilters {
  status?: TicketStatus[] | undefined
  priority?: TicketPriority[] | undefined
  /** A user id, or 'none' for unassigned (the route resolves 'me'). */
  assigneeId?: string | undefined
  requesterId?: string | undefined
  teamId?: string | undefined
  tag?: string | undefined
  /** Full-text search over the subject and message bodies. */
  q?: string | undefined
}

/** Whose eyes: customers see only what they requested, and never internal notes' text. */
export interface Viewer {
  userId: string
  seesEveryTicket: boolean
}

/** A ticket as the queries return it, timestamps as Postgres writes them. */
export interface TicketRow {
  id: string
  number: number
  subject: string
  status: TicketStatus
  priority: TicketPriority
  tags: string[]
  created_at: string
  updated_at: string
  first_response_due_at: string | null
  resolution_due_at: string | null
  sla_breached: boolean
  requester_id: string
  requester_name: string
  assignee_id: string | null
  assignee_name: string | null
  team_id: string | null
  team_name: string | null
}

const TIMESTAMP = z.union([PostgresTimestamp, z.literal('infinity')])
const UUID = z.uuid()
const RANK = z.string().regex(/^\d+(\.\d+)?(e-?\d+)?$/)

interface SortSpec {
  /** Key expressions, most significant first; all ordered the same way, id last. */
  keys: { expression: string; type: string; schema: z.ZodType<string> }[]
  direction: 'asc' | 'desc'
}

const updatedAt = { expression: 't.updated_at', type: 'timestamptz', schema: TIMESTAMP }
const createdAt = { expression: 't.created_at', type: 'timestamptz', schema: TIMESTAMP }
const id = { expression: 't.id', type: 'uuid', schema: UUID }

const SORTS: Record<Exclude<TicketSort, 'relevance'>, SortSpec> = {
  updated: { keys: [updatedAt, id], direction: 'desc' },
  created: { keys: [createdAt, id], direction: 'desc' },
  priority: {
    keys: [
      { expression: 't.priority_rank', type: 'smallint', schema: z.string().regex(/^[0-3]$/) },
      createdAt,
      id,
    ],
    direction: 'desc',
  },
  // Sooner due first; tickets with no running target ('infinity') last.
  due: {
    keys: [{ expression: 't.due_at', type: 'timestamptz', schema: TIMESTAMP }, id],
    direction: 'asc',
  },
}

function sortSpec(sort: TicketSort, viewer: Viewer): SortSpec {
  if (sort !== 'relevance') return SORTS[sort]
  const rank = `ts_rank(${searchDocument(viewer)}, query)`
  return { keys: [{ expression: rank, type: 'real', schema: RANK }, id], direction: 'desc' }
}

const SELECT = `t.id, t.number, t.subject, t.status, t.priority, t.tags, t.created_at,
  t.updated_at, t.first_response_due_at, t.resolution_due_at, t.sla_breached,
  t.requester_id, requester.name as requester_name,
  t.assignee_id, assignee.name as assignee_name,
  t.team_id, team.name as team_name`

const JOINS = `join users requester on requester.id = t.requester_id
  left join users assignee on assignee.id = t.assignee_id
  left join teams team on team.id = t.team_id`

/**
 * The search document a viewer's query is evaluated on: customers' holds the subject and the
 * public replies only (weights A and B), never internal notes (D). A restricted viewer's query
 * must be decided on this document alone: a condition on the whole document as well would
 * leak the notes through every query form that is not monotone (`-word`, `!word`,
 * `-"phrase"`: a note holding the word would make the ticket drop out).
 */
function searchDocument(viewer: Viewer): string {
  return viewer.seesEveryTicket ? 't.search' : `ts_filter(t.search, '{a,b}')`
}

/** WHERE conditions and their parameters, in text order. */
function conditions(viewer: Viewer, filters: TicketFilters) {
  const where: string[] = []
  const params: unknown[] = []
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition)
    params.push(...values)
  }
  if (!viewer.seesEveryTicket) add('t.requester_id = ?', viewer.userId)
  if (filters.status) add('t.status in (?)', filters.status)
  if (filters.priority) {
    add(
      't.priority_rank in (?)',
      filters.priority.map((priority) => PRIORITY_RANK[priority]),
    )
  }
  if (filters.assigneeId === 'none') add('t.assignee_id is null')
  else if (filters.assigneeId) add('t.assignee_id = ?', filters.assigneeId)
  if (filters.requesterId) add('t.requester_id = ?', filters.requesterId)
  if (filters.teamId) add('t.team_id = ?', filters.teamId)
  if (filters.tag) add('t.tags @> array[?]::text[]', filters.tag)
  // Staff queries use the GIN index; a customer's few tickets come from the requester index.
  if (filters.q !== undefined) add(`${searchDocument(viewer)} @@ query`)
  return { where, params }
}

/** `cross join` of the parsed search text, so conditions and ranking share it. */
function searchSource(filters: TicketFilters) {
  return filters.q === undefined
    ? { from: '', params: [] }
    : { from: `cross join websearch_to_tsquery('english', ?) query`, params: [filters.q] }
}

export interface TicketPage {
  rows: TicketRow[]
  nextCursor: string | null
}

export interface PageRequest {
  sort: TicketSort
  limit: number
  cursor?: string | undefined
  /** For relevance: from `newestTicketNumber()`. */
  newestNumber?: number | undefined
}

/** The list query as SQL and parameters (the EXPLAIN test reads it too). */
export function listQuery(viewer: Viewer, filters: TicketFilters, page: PageRequest) {
  const spec = sortSpec(page.sort, viewer)
  const after = decodeCursor(
    page.cursor,
    z.tuple([z.literal(page.sort), ...spec.keys.map((key) => key.schema)] as [
      z.ZodLiteral<string>,
      ...z.ZodType<string>[],
    ]),
  )
  const search = searchSource(filters)
  const filtered = conditions(viewer, filters)
  const source =
    page.sort === 'relevance' ? relevanceCandidates(search, filtered, page.newestNumber) : undefined
  const where = source ? [] : filtered.where
  const params = source ? [...source.params] : [...search.params, ...filtered.params]
  if (after) {
    const [, ...values] = after
    const comparison = spec.direction === 'desc' ? '<' : '>'
    const keys = spec.keys.map((key) => key.expression).join(', ')
    const casts = spec.keys.map((key) => `?::${key.type}`).join(', ')
    where.push(`(${keys}) ${comparison} (${casts})`)
    params.push(...values)
  }
  const sortKeys = spec.keys.map((key, index) => `${key.expression}::text as sort_key_${index}`)
  const order = spec.keys.map((key) => `${key.expression} ${spec.direction}`).join(', ')
  // The page is chosen first; names are joined to its rows only.
  return {
    keyCount: spec.keys.length,
    sql: `select ${SELECT}, ${sortKeys.join(', ')}
     from (select t.* from ${source ? source.sql : `tickets t ${search.from}`}
       ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by ${order}
       limit ?) t
     ${JOINS}
     order by ${order}`,
    params: [...params, page.limit + 1],
  }
}

/**
 * Ranking reads every candidate's whole search document: a common word in a million tickets
 * would rank hundreds of thousands. Relevance orders the newest 1,000 matches only.
 */
const RELEVANCE_CANDIDATES = 1000

/**
 * The newest matches, found block by block (`recency-blocks.ts`): `union all` under a limit
 * starts a block only while the newer ones have not delivered enough, and each block's
 * matches come from the GIN index alone, whatever share of all tickets the words are in.
 */
function relevanceCandidates(
  search: ReturnType<typeof searchSource>,
  filtered: ReturnType<typeof conditions>,
  newest: number | undefined,
) {
  if (newest === undefined) throw new Error('a relevance list needs the newest ticket number')
  const windows = recencyWindows(newest)
  const part = `(select t.*, query from tickets t ${search.from}
       where ${[...filtered.where, 't.search @@ ?::tsquery'].join(' and ')}
       order by t.number desc
       limit ${RELEVANCE_CANDIDATES})`
  return {
    sql: `(select * from (${windows.map(() => part).join(' union all ')}) candidates
       limit ${RELEVANCE_CANDIDATES}) t`,
    params: windows.flatMap((window) => [...search.params, ...filtered.params, window]),
  }
}

/** The highest ticket number (`newest`), where the recency blocks of a search begin. */
export const newestTicketNumberQuery =
  'select coalesce(max(number), 0)::text as newest from tickets'

export async function newestTicketNumber(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ newest: string }[]>(newestTicketNumberQuery)
  return Number(row?.newest ?? 0)
}

export async function listTickets(
  em: EntityManager,
  viewer: Viewer,
  filters: TicketFilters,
  page: PageRequest,
): Promise<TicketPage> {
  const newestNumber = page.sort === 'relevance' ? await newestTicketNumber(em) : undefined
  const query = listQuery(viewer, filters, { ...page, newestNumber })
  const rows = await runKeysetQuery<TicketRow & Record<string, string>>(em, query.sql, query.params)
  const last = rows[page.limit - 1]
  const keys = Array.from({ length: query.keyCount }, (_, index) => `sort_key_${index}`)
  return {
    rows: rows.slice(0, page.limit),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor([page.sort, ...keys.map((key) => last[key] ?? null)])
        : null,
  }
}

/** The count query as SQL and parameters. */
export function countQuery(viewer: Viewer, filters: TicketFilters) {
  const search = searchSource(filters)
  const { where, params } = conditions(viewer, filters)
  return {
    sql: `select count(*) from tickets t ${search.from}
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}`,
    params: [...search.params, ...params],
  }
}

export async function countTickets(
  em: EntityManager,
  viewer: Viewer,
  filters: TicketFilters,
): Promise<number> {
  const query = countQuery(viewer, filters)
  const [row] = await em.execute<{ count: string }[]>(query.sql, query.params)
  return Number(row?.count ?? 0)
}

/** One ticket with its people's names, by id (`?`). */
export const findTicketRowQuery = `select ${SELECT} from tickets t ${JOINS} where t.id = ?`

export async function findTicketRow(em: EntityManager, id: string): Promise<TicketRow | undefined> {
  const [row] = await em.execute<TicketRow[]>(findTicketRowQuery, [id])
  return row
}

/** A message as its list query returns it. */
export interface MessageRow {
  id: string
  body: string
  internal: boolean
  created_at: string | Date
  author_id: string
  author_name: string
  via: 'web' | 'email'
  full_body: string | null
  html_body: string | null
}

/** An event as its list query returns it. */
export interface TicketEventRow {
  id: string
  at: string
  action: string
  changes: Record<string, { from: unknown; to: unknown }>
  actor_id: string | null
  actor_name: string | null
}

export interface HistoryPageRequest {
  /** Staff see internal notes and the events about them. */
  withNotes: boolean
  cursor?: string | undefined
  limit: number
}

/** A page of the conversation, oldest first; internal notes only `withNotes`. */
export async function messagePage(
  em: EntityManager,
  ticketId: string,
  { withNotes, cursor, limit }: HistoryPageRequest,
) {
  const after = decodeCursor(cursor, z.tuple([PostgresTimestamp, UUID]))
  return runKeysetQuery<MessageRow & { created_text: string }>(
    em,
    `select m.id, m.body, m.internal, m.created_at, m.created_at::text as created_text,
       m.author_id, u.name as author_name, m.via, m.full_body, m.html_body
     from messages m join users u on u.id = m.author_id
     where m.ticket_id = ? ${withNotes ? '' : 'and not m.internal'}
       ${after ? 'and (m.created_at, m.id) > (?::timestamptz, ?::uuid)' : ''}
     order by m.created_at, m.id
     limit ?`,
    [ticketId, ...(after ?? []), limit + 1],
  )
}

/** A page of the ticket's history, oldest first; events about internal notes only `withNotes`. */
export async function eventPage(
  em: EntityManager,
  ticketId: string,
  { withNotes, cursor, limit }: HistoryPageRequest,
) {
  const after = decodeCursor(cursor, z.tuple([z.string().regex(/^[0-9]{1,18}$/)]))
  return runKeysetQuery<TicketEventRow>(
    em,
    `select e.id, e.at, e.action, e.changes, e.actor_id, u.name as actor_name
     from ticket_events e left join users u on u.id = e.actor_id
     where e.ticket_id = ? ${withNotes ? '' : 'and not e.internal'}
       ${after ? 'and e.id > ?::bigint' : ''}
     order by e.id
     limit ?`,
    [ticketId, ...(after ?? []), limit + 1],
  )
}

/** The name shown beside what a user writes. */
export async function userName(em: EntityManager, userId: string): Promise<string> {
  const [user] = await em.execute<{ name: string }[]>('select name from users where id = ?', [
    userId,
  ])
  return user?.name ?? ''
}

/** The SLA targets of every priority, in priority order. */
export async function slaPolicyItems(em: EntityManager): Promise<SlaPolicyItem[]> {
  const rows = await em.find(SlaPolicy, {})
  const byPriority = new Map(rows.map((row) => [row.priority, row]))
  return TICKET_PRIORITIES.map((priority) => {
    const row = byPriority.get(priority)
    if (!row) throw new Error(`no SLA policy for ${priority}: the migration seeds all four`)
    return {
      priority,
      firstResponseMinutes: row.firstResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
    }
  })
}
