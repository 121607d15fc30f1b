// Tickets at scale: 1,000,000 generated tickets (`helpdesk seed`'s generator) in a durable
// Postgres 15, the real API process in front of it, an agent signed in with a session. For
// each endpoint autocannon measures req/s and p50/p95/p99 at a fixed concurrency; beside it
// the same SQL runs straight against Postgres at the same concurrency (the database ceiling).
// The API runs as a pod runs it: bundled as the image bundles it, inside the chart's memory
// limit.
import { API_RESOURCES } from '@helpdesk/cdk8s'
import { freePort, type PostgresServer, startPostgres, startRedis } from '@helpdesk/harness'
import autocannon from 'autocannon'
import pg from 'pg'
import { memoryLimit } from '../../harness/src/bench/memory-limit.ts'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { createUser } from '../src/accounts/commands.ts'
import { loadConfig } from '../src/config.ts'
import { migrateDatabase, openDatabase } from '../src/db/database.ts'
import { openOrm } from '../src/db/orm.ts'
import { modules } from '../src/modules.ts'
import { composeModules } from '../src/platform/module.ts'
import { progressBar } from '../src/seed/progress.ts'
import { seedDemoData } from '../src/seed/seed.ts'
import {
  findTicketRowQuery,
  listQuery,
  newestTicketNumberQuery,
  type TicketFilters,
  type TicketSort,
} from '../src/tickets/queries.ts'
import { benchAppKeysDir } from './app-keys.ts'
import { bundleLikeTheImage, peakRss, startServer, waitForOk } from './processes.ts'

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4)
const DURATION_SECONDS = 10
const PASSWORD = 'bench-agent-password'

interface Figures {
  rps: number
  p50: number
  p95: number
  p99: number
}

const figuresOf = (latencies: number[], seconds: number): Figures => ({
  rps: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
})

/** autocannon over a rotating list of requests; every answer must be a success. */
async function measureHttp(
  base: string,
  headers: Record<string, string>,
  requests: { method: 'GET' | 'POST'; path: string; body?: string }[],
  duration = DURATION_SECONDS,
): Promise<Figures> {
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration,
        headers,
        requests: requests.map((request) => ({
          ...request,
          ...(request.body ? { headers: { 'content-type': 'application/json' } } : {}),
        })),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    )
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    )
  })
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${requests[0]?.path}: ${result.errors} errors, ${result.non2xx} non-2xx`)
  }
  return figuresOf(latencies, duration)
}

/** The same statements straight on Postgres: CONNECTIONS loops for the same duration. */
async function measureSql(
  pool: pg.Pool,
  statements: ((client: pg.PoolClient, index: number) => Promise<unknown>)[],
  duration = DURATION_SECONDS,
): Promise<Figures> {
  const latencies: number[] = []
  const deadline = Date.now() + duration * 1000
  let next = 0
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = await pool.connect()
      try {
        while (Date.now() < deadline) {
          const index = next++
          const started = performance.now()
          await (statements[index % statements.length] as (typeof statements)[number])(
            client,
            index,
          )
          latencies.push(performance.now() - started)
        }
      } finally {
        client.release()
      }
    }),
  )
  return figuresOf(latencies, duration)
}

/** `?` placeholders (MikroORM style, arrays expanded) as pg's numbered ones. */
function numbered(sql: string, params: unknown[]) {
  const values: unknown[] = []
  let at = 0
  const text = sql.replace(/\?/g, () => {
    const value = params[at++]
    if (!Array.isArray(value)) {
      values.push(value)
      return `$${values.length}`
    }
    return value.map((item) => `$${values.push(item)}`).join(', ')
  })
  return { text, values }
}

// BENCH_DATABASE_URL: a database seeded before (`helpdesk seed`), reused to save the seeding.
const reused = process.env.BENCH_DATABASE_URL
const [postgres, redis] = await Promise.all([
  reused ? undefined : startPostgres({ durable: true }),
  startRedis(),
])
const databaseUrl = reused ?? (await (postgres as PostgresServer).createDatabase('tickets_bench'))
await migrateDatabase(databaseUrl)
const pool = new pg.Pool({ connectionString: databaseUrl, max: CONNECTIONS + 2 })
if (!reused) {
  const seedStarted = Date.now()
  const seeded = await seedDemoData(pool, {
    tickets: TICKETS,
    onProgress: progressBar(process.stderr, 'seeding tickets'),
  })
  reportRow({
    name: `tickets: seed ${TICKETS.toLocaleString('en')} tickets (${seeded.messages.toLocaleString('en')} messages)`,
    figure: (Date.now() - seedStarted) / 1000,
    unit: 's',
  })
  await pool.query('vacuum analyze tickets, messages, ticket_events, attachments, users, teams')
}
const ticketCount = Number((await pool.query('select count(*) from tickets')).rows[0]?.count)

// An agent to sign in as, created the way the product creates users.
const config = loadConfig({ DATABASE_URL: databaseUrl })
const database = await openDatabase(config.database)
const orm = await openOrm(database.target, composeModules(modules), { poolMax: 2 })
const agent = await createUser(orm.em.fork(), {
  email: `bench-agent-${Date.now()}@helpdesk.example`,
  name: 'Bench Agent',
  role: 'agent',
  password: PASSWORD,
})
await orm.close()

const sample = await pool.query<{ id: string }>(
  `select id from tickets tablesample system (1) where status in ('new', 'open', 'on_hold') limit 500`,
)
const openIds = sample.rows.map((row) => row.id)
const anyIds = (
  await pool.query<{ id: string }>('select id from tickets tablesample system (1) limit 1000')
).rows.map((row) => row.id)

const port = await freePort()
await bundleLikeTheImage({ 'serve-unlimited': 'bench/serve-unlimited.ts' })
const limit = memoryLimit(API_RESOURCES.limits.memory)
const api = startServer(
  '../dist/serve-unlimited.js',
  {
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
    HELPDESK_SHUTDOWN_GRACE_MS: '1000',
  },
  { limit },
)
const base = `http://127.0.0.1:${port}`
try {
  await waitForOk(`${base}/readyz`)
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: agent.email, password: PASSWORD }),
  })
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string
  const headers = { cookie, 'x-csrftoken': csrfToken }
  const viewer = { userId: agent.id, seesEveryTicket: true }
  const { rows: newestRows } = await pool.query<{ newest: string }>(newestTicketNumberQuery)
  const newestNumber = Number(newestRows[0]?.newest ?? 0)

  const searches = [
    'E4512',
    'ORD-123456',
    'kestrel firmware',
    'refund order',
    'juniper tablet battery',
  ]
  const lists: { name: string; query: string; filters: TicketFilters; sort: TicketSort }[] = [
    { name: 'default list (25)', query: '', filters: {}, sort: 'updated' },
    {
      name: 'filtered list: open, high+urgent, by due',
      query: '?status=new,open,on_hold&priority=high,urgent&sort=due',
      filters: { status: ['new', 'open', 'on_hold'], priority: ['high', 'urgent'] },
      sort: 'due',
    },
  ]
  const cases: {
    name: string
    target?: string
    http: { method: 'GET' | 'POST'; path: string; body?: string }[]
    sql: ((client: pg.PoolClient, index: number) => Promise<unknown>)[]
  }[] = [
    ...lists.map((list) => ({
      name: list.name,
      target: 'p95 <= 20 ms',
      http: [{ method: 'GET' as const, path: `/api/v1/tickets${list.query}` }],
      sql: [
        (client: pg.PoolClient) => {
          const query = listQuery(viewer, list.filters, { sort: list.sort, limit: 25 })
          const { text, values } = numbered(query.sql, query.params)
          return client.query(text, values)
        },
      ],
    })),
    {
      name: `full-text search (${searches.length} queries in turn)`,
      target: 'p95 <= 50 ms',
      http: searches.map((q) => ({
        method: 'GET' as const,
        path: `/api/v1/tickets?q=${encodeURIComponent(q)}`,
      })),
      sql: searches.map((q) => (client: pg.PoolClient) => {
        const query = listQuery(viewer, { q }, { sort: 'relevance', limit: 25, newestNumber })
        const { text, values } = numbered(query.sql, query.params)
        return client.query(text, values)
      }),
    },
    {
      name: 'ticket detail',
      target: 'p95 <= 20 ms',
      http: anyIds.map((id) => ({ method: 'GET' as const, path: `/api/v1/tickets/${id}` })),
      sql: anyIds.map((id) => (client: pg.PoolClient) => {
        const { text, values } = numbered(findTicketRowQuery, [id])
        return client.query(text, values)
      }),
    },
    {
      name: 'post a message',
      http: openIds.map((id) => ({
        method: 'POST' as const,
        path: `/api/v1/tickets/${id}/messages`,
        body: JSON.stringify({ body: 'Thanks, we are looking into it and will update you today.' }),
      })),
      // What the command writes, as plain SQL: lock, message, ticket, event, the requester's
      // notification, one transaction.
      sql: openIds.map((id) => async (client: pg.PoolClient) => {
        await client.query('begin')
        await client.query('select * from tickets where id = $1 for update', [id])
        await client.query(
          `insert into messages (ticket_id, author_id, body, internal) values ($1, $2, $3, false)`,
          [id, agent.id, 'Thanks, we are looking into it and will update you today.'],
        )
        await client.query('update tickets set updated_at = now() where id = $1', [id])
        await client.query(
          `insert into ticket_events (ticket_id, actor_id, action) values ($1, $2, 'reply.added')`,
          [id, agent.id],
        )
        await client.query(
          `insert into notification_queue
             (recipient_id, ticket_id, event, actor_id, message_id, details, deliver_after)
           select requester_id, id, 'agentReply', $2, null, '{}', now() + interval '2 minutes'
           from tickets where id = $1`,
          [id, agent.id],
        )
        await client.query('commit')
      }),
    },
  ]
  let apiPeakRss = 0
  for (const benchCase of cases) {
    // A short warm-up fills caches for both sides alike.
    await measureHttp(base, headers, benchCase.http, 2)
    const [http, peak] = await peakRss(
      api.child.pid as number,
      measureHttp(base, headers, benchCase.http),
    )
    apiPeakRss = Math.max(apiPeakRss, peak)
    const sql = await measureSql(pool, benchCase.sql)
    for (const [metric, unit] of [
      ['rps', 'req/s'],
      ['p50', 'ms'],
      ['p95', 'ms'],
      ['p99', 'ms'],
    ] as const) {
      reportRow({
        name: `tickets (${ticketCount.toLocaleString('en')}), ${benchCase.name}, ${CONNECTIONS} connections: ${metric}`,
        figure: http[metric],
        unit,
        ceilingName: 'same SQL on Postgres',
        ceiling: sql[metric],
        ...(metric === 'p95' && benchCase.target ? { target: benchCase.target } : {}),
      })
    }
  }
  reportRow({
    name: `tickets (${ticketCount.toLocaleString('en')}), API process RSS, highest under the load above, ${limit.description}`,
    figure: apiPeakRss,
    unit: 'MB',
    target: 'RSS <= 150 MB',
  })
} catch (error) {
  process.stderr.write(`tickets bench failed: ${(error as Error).stack}\n`)
  process.exitCode = 1
} finally {
  await api.stop()
  limit.release()
  await pool.end()
  await database.stop()
  await Promise.all([postgres?.stop(), redis.stop()])
}
