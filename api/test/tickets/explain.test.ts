// Every ticket list query — each filter, sort, search and viewer, first pages and later ones —
// is planned by Postgres on a generated helpdesk of realistic size with fresh statistics, and
// none may read the tickets table sequentially.
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { migrateDatabase } from '../../src/db/database.ts'
import { seedDemoData } from '../../src/seed/seed.ts'
import {
  countQuery,
  listQuery,
  listTickets,
  newestTicketNumber,
  TICKET_SORTS,
  type TicketFilters,
  type TicketSort,
  type Viewer,
} from '../../src/tickets/queries.ts'
import { startTestApp, type TestApp } from '../support/app.ts'

const TICKETS = 60_000

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

let api: TestApp
let pool: pg.Pool
let agentId: string
let customerId: string
let teamId: string

beforeAll(async () => {
  const url = await testServices.postgres().createDatabase('explain')
  await migrateDatabase(url)
  pool = new pg.Pool({ connectionString: url, max: 3 })
  await seedDemoData(pool, { tickets: TICKETS })
  const { rows } = await pool.query<{ agent: string; customer: string; team: string }>(
    `select (select assignee_id from tickets where assignee_id is not null limit 1) as agent,
       (select requester_id from tickets group by requester_id order by count(*) desc limit 1)
         as customer,
       (select team_id from tickets where team_id is not null limit 1) as team`,
  )
  ;({
    agent: agentId,
    customer: customerId,
    team: teamId,
  } = rows[0] as {
    agent: string
    customer: string
    team: string
  })
  api = await startTestApp({ DATABASE_URL: url }, { jobs: false })
}, 300_000)

afterAll(async () => {
  await api?.close()
  await pool?.end()
})

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)]
}

async function planOf(sql: string, params: unknown[]): Promise<PlanNode> {
  const [row] = await api.app.services.orm.em
    .fork()
    .execute<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(`explain (format json) ${sql}`, params)
  return (row as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan
}

const ticketScans = (plan: PlanNode) =>
  nodesOf(plan)
    .filter((node) => node['Relation Name'] === 'tickets')
    .map((node) => `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`)

function filterSets(): [string, TicketFilters][] {
  return [
    ['no filter', {}],
    ['working statuses', { status: ['new', 'open', 'on_hold'] }],
    ['pending', { status: ['pending'] }],
    ['urgent and high', { priority: ['urgent', 'high'] }],
    ['my open tickets', { assigneeId: agentId, status: ['new', 'open', 'on_hold'] }],
    ['unassigned, working', { assigneeId: 'none', status: ['new', 'open', 'on_hold'] }],
    ['a requester', { requesterId: customerId }],
    ['a team', { teamId }],
    ['a tag', { tag: 'refund' }],
    ['a team, urgent, open', { teamId, priority: ['urgent'], status: ['open'] }],
    // What people search a helpdesk for: a product, an error code, a phrase.
    ['search for a product', { q: 'kestrel camera' }],
    ['search for an error code', { q: 'E4512' }],
    ['search, working statuses', { q: 'firmware update', status: ['new', 'open', 'on_hold'] }],
  ]
}

const agent = (): Viewer => ({ userId: agentId, seesEveryTicket: true })
const customer = (): Viewer => ({ userId: customerId, seesEveryTicket: false })

describe(`ticket list queries over ${TICKETS} generated tickets`, () => {
  it('never read the tickets table sequentially, on any page', async () => {
    const checked: string[] = []
    const newestNumber = await newestTicketNumber(api.app.services.orm.em.fork())
    for (const [viewerName, viewer] of [
      ['agent', agent()],
      ['customer', customer()],
    ] as const) {
      for (const [filterName, filters] of filterSets()) {
        const sorts: TicketSort[] = filters.q ? ['relevance', ...TICKET_SORTS] : [...TICKET_SORTS]
        for (const sort of sorts) {
          // The second page too: its cursor condition must use the same index.
          const first = await listTickets(api.app.services.orm.em.fork(), viewer, filters, {
            sort,
            limit: 25,
          })
          const cursors = first.nextCursor ? [undefined, first.nextCursor] : [undefined]
          for (const cursor of cursors) {
            const query = listQuery(viewer, filters, {
              sort,
              limit: 25,
              cursor,
              newestNumber,
            })
            const scans = ticketScans(await planOf(query.sql, query.params))
            const name = `${viewerName}, ${filterName}, sort ${sort}${cursor ? ', page 2' : ''}`
            expect({ name, scans }).toEqual({
              name,
              scans: expect.not.arrayContaining(['Seq Scan']),
            })
            checked.push(name)
          }
        }
      }
    }
    expect(checked.length).toBeGreaterThan(150)
  })

  // Counting a large share of all tickets reads most pages whatever the plan: a sequential
  // scan is then the right one. Narrow counts must not.
  it('counts narrow filters through indexes too', async () => {
    for (const filters of [{ requesterId: customerId }, { q: 'E4512' }] as TicketFilters[]) {
      const query = countQuery(agent(), filters)
      const scans = ticketScans(await planOf(query.sql, query.params))
      expect({ filters, scans }).toEqual({
        filters,
        scans: expect.not.arrayContaining(['Seq Scan']),
      })
    }
  })

  it('finds the breached tickets for the SLA job through its partial index', async () => {
    const plan = await planOf(
      `select id from tickets
       where not sla_breached and due_at < 'infinity' and due_at <= now()
       order by due_at limit 1000`,
      [],
    )
    expect(ticketScans(plan)).not.toContain('Seq Scan')
  })
})
