// `helpdesk seed --tickets N`: demo users, teams, tickets, messages, tags and history, written
// in large batches (one INSERT ... SELECT FROM unnest(...) per table and batch) — the same
// statements on Postgres and on embedded PGlite, whose socket has no COPY protocol. A run is
// all or nothing (runs.ts).
import type pg from 'pg'
import type { SlaPolicyTable, SlaTargets } from '../tickets/sla.ts'
import { TICKET_PRIORITIES, type TicketPriority } from '../tickets/vocabulary.ts'
import {
  type GeneratedTicket,
  generateTicket,
  personName,
  Random,
  type SeedPeople,
} from './generator.ts'
import { claimRun, newRunTag, runEmail } from './runs.ts'
import { inTransaction } from './transaction.ts'
import { TEAMS } from './vocabulary.ts'

export interface SeedOptions {
  tickets: number
  /** Same seed, same names, texts and statuses (ids, times and emails differ). @default 20261128 */
  seed?: number
  /** Tickets per transaction. @default 2000 */
  batchSize?: number
  /**
   * Batches written at once, each on its own connection: 2 lets Postgres write one while the
   * next is generated. An embedded database serves one session: give it 1. @default 2
   */
  writers?: number
  /** No other process can reach the database (embedded mode, see runs.ts). @default false */
  exclusive?: boolean
  /** How far back the oldest ticket goes. @default 730 */
  historyDays?: number
  /** Stops between batches; the run then removes what it wrote. */
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

export interface SeedResult {
  /** Tags this run's emails. */
  run: string
  tickets: number
  messages: number
  customers: number
  agents: number
  teams: number
  /** Unfinished runs found and removed first. */
  removedRuns: string[]
}

const USER_BATCH = 10_000

/** Customers and agents in proportion to the tickets: ~8 tickets per customer. */
function peopleFor(tickets: number) {
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value))
  return {
    customers: clamp(Math.round(tickets / 8), 5, 250_000),
    agents: clamp(Math.round(tickets / 5000), 3, 200),
  }
}

/**
 * Seeds a migrated database. The pool needs `writers` connections, and one more against a
 * server (the run's lock). A failed or aborted run removes what it wrote before it rethrows.
 */
export async function seedDemoData(pool: pg.Pool, options: SeedOptions): Promise<SeedResult> {
  const claim = await claimRun(pool, newRunTag(), options.exclusive ?? false)
  try {
    const result = await writeRun(pool, claim.tag, options)
    await claim.finish()
    return { ...result, removedRuns: claim.removed }
  } catch (error) {
    throw new SeedFailed(
      error,
      await claim.abandon().then(
        () => true,
        () => false,
      ),
    )
  }
}

/** Why a run failed, and whether what it wrote is gone (else the next run removes it). */
export class SeedFailed extends Error {
  readonly removed: boolean
  constructor(cause: unknown, removed: boolean) {
    super((cause as Error).message, { cause })
    this.name = 'SeedFailed'
    this.removed = removed
  }
}

async function writeRun(pool: pg.Pool, run: string, options: SeedOptions) {
  const random = new Random(options.seed ?? 20261128)
  const batchSize = options.batchSize ?? 2000
  const writers = options.writers ?? 2
  const policies = await slaPolicies(pool)
  const people = await seedPeople(pool, random, peopleFor(options.tickets), run)
  const timeline = { now: Date.now(), historyDays: options.historyDays ?? 730 }
  let messages = 0
  let written = 0
  const inFlight = new Set<Promise<void>>()
  try {
    for (let generated = 0; generated < options.tickets; ) {
      options.signal?.throwIfAborted()
      const size = Math.min(batchSize, options.tickets - generated)
      const first = generated
      const batch = Array.from({ length: size }, (_, index) =>
        generateTicket(
          people,
          policies,
          random,
          timeline,
          (first + index + random.next()) / options.tickets,
        ),
      )
      generated += size
      const writing = insertTickets(pool, batch).then((count) => {
        messages += count
        written += size
        options.onProgress?.(written, options.tickets)
      })
      inFlight.add(writing)
      writing.finally(() => inFlight.delete(writing)).catch(() => {})
      if (inFlight.size >= writers) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
  } catch (error) {
    // The other writer's batch finishes (or fails) before the run is removed.
    await Promise.allSettled(inFlight)
    throw error
  }
  // Fresh statistics, so the planner knows the tables' new sizes at once.
  await pool.query('analyze users, teams, team_members, tickets, messages, ticket_events')
  return {
    run,
    tickets: options.tickets,
    messages,
    customers: people.customers.length,
    agents: people.agents.length,
    teams: people.teams.size,
  }
}

async function slaPolicies(pool: pg.Pool): Promise<SlaPolicyTable> {
  const { rows } = await pool.query<{ priority: TicketPriority } & Record<string, number>>(
    'select priority, first_response_minutes, resolution_minutes from sla_policies',
  )
  const table = {} as Record<TicketPriority, SlaTargets>
  for (const priority of TICKET_PRIORITIES) {
    const row = rows.find((candidate) => candidate.priority === priority)
    if (!row) throw new Error(`no SLA policy for ${priority}: is the database migrated?`)
    table[priority] = {
      firstResponseMinutes: Number(row.first_response_minutes),
      resolutionMinutes: Number(row.resolution_minutes),
    }
  }
  return table
}

async function seedPeople(
  pool: pg.Pool,
  random: Random,
  counts: { customers: number; agents: number },
  run: string,
): Promise<SeedPeople> {
  await pool.query(
    `insert into teams (name) select unnest($1::text[])
     on conflict ((lower(name))) do nothing`,
    [TEAMS],
  )
  const { rows: teamRows } = await pool.query<{ id: string; name: string }>(
    'select id, name from teams where lower(name) = any($1::text[])',
    [TEAMS.map((name) => name.toLowerCase())],
  )
  const idByName = new Map(teamRows.map((row) => [row.name.toLowerCase(), row.id]))
  const teams = new Map(TEAMS.map((name) => [name, idByName.get(name.toLowerCase()) as string]))
  const agents = await insertUsers(pool, random, 'agent', counts.agents, run)
  const customers = await insertUsers(pool, random, 'customer', counts.customers, run)
  await pool.query(
    `insert into team_members (team_id, user_id)
     select unnest($1::uuid[]), unnest($2::uuid[]) on conflict do nothing`,
    [agents.map(() => random.pick([...teams.values()])), agents],
  )
  return { customers, agents, teams }
}

/** Users who cannot sign in (no password) until an admin gives them one. */
async function insertUsers(
  pool: pg.Pool,
  random: Random,
  role: 'customer' | 'agent',
  count: number,
  run: string,
): Promise<string[]> {
  const ids: string[] = []
  for (let start = 0; start < count; start += USER_BATCH) {
    const names = Array.from({ length: Math.min(USER_BATCH, count - start) }, () =>
      personName(random),
    )
    const emails = names.map((name, index) => runEmail(name, run, start + index, role))
    const { rows } = await pool.query<{ id: string }>(
      `insert into users (email, name, role)
       select unnest($1::text[]), unnest($2::text[]), $3
       returning id`,
      [emails, names, role],
    )
    ids.push(...rows.map((row) => row.id))
  }
  return ids
}

const timestamp = (value: Date | null) => value?.toISOString() ?? null
const arrayLiteral = (values: string[]) =>
  `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`

/**
 * One batch in one transaction. Messages go first (their foreign key is deferred to commit):
 * each ticket row is then written once, its search document built from subject and messages.
 */
async function insertTickets(pool: pg.Pool, batch: GeneratedTicket[]): Promise<number> {
  const tickets = batch.map((generated) => generated.ticket)
  const messages = batch.flatMap((generated) => generated.messages)
  return inTransaction(pool, async (client) => {
    await client.query('set constraints all deferred')
    await client.query(
      `insert into messages (ticket_id, author_id, body, internal, created_at)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::timestamptz[])`,
      [
        messages.map((message) => message.ticketId),
        messages.map((message) => message.authorId),
        messages.map((message) => message.body),
        messages.map((message) => message.internal),
        messages.map((message) => message.createdAt.toISOString()),
      ],
    )
    await client.query(
      `insert into tickets (id, subject, status, priority, requester_id, assignee_id, team_id,
         tags, created_at, updated_at, first_responded_at, sla_paused_ms, sla_paused_since,
         first_response_due_at, resolution_due_at, sla_breached)
       select id, subject, status, priority, requester_id, assignee_id, team_id, tags::text[],
         created_at, updated_at, first_responded_at, sla_paused_ms, sla_paused_since,
         first_response_due_at, resolution_due_at, sla_breached
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[],
         $7::uuid[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[],
         $12::bigint[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::boolean[])
         as rows (id, subject, status, priority, requester_id, assignee_id, team_id, tags,
           created_at, updated_at, first_responded_at, sla_paused_ms, sla_paused_since,
           first_response_due_at, resolution_due_at, sla_breached)
       order by created_at`,
      [
        tickets.map((ticket) => ticket.id),
        tickets.map((ticket) => ticket.subject),
        tickets.map((ticket) => ticket.status),
        tickets.map((ticket) => ticket.priority),
        tickets.map((ticket) => ticket.requesterId),
        tickets.map((ticket) => ticket.assigneeId),
        tickets.map((ticket) => ticket.teamId),
        tickets.map((ticket) => arrayLiteral(ticket.tags)),
        tickets.map((ticket) => ticket.createdAt.toISOString()),
        tickets.map((ticket) => ticket.updatedAt.toISOString()),
        tickets.map((ticket) => timestamp(ticket.clock.firstRespondedAt)),
        tickets.map((ticket) => ticket.clock.pausedMs),
        tickets.map((ticket) => timestamp(ticket.clock.pausedSince)),
        tickets.map((ticket) => timestamp(ticket.firstResponseDueAt)),
        tickets.map((ticket) => timestamp(ticket.resolutionDueAt)),
        tickets.map((ticket) => ticket.slaBreached),
      ],
    )
    await client.query(
      `insert into ticket_events (ticket_id, actor_id, action, at)
       select id, requester_id, 'ticket.created', created_at from tickets where id = any($1::uuid[])`,
      [tickets.map((ticket) => ticket.id)],
    )
    return messages.length
  })
}
