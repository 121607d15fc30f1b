// Live-update fan-out across processes: 1,000 event streams held open on a `helpdesk serve`
// child, a reply posted through another API process (this one) on the same Postgres and
// Redis, and the time from sending the POST to the event arriving on each stream, beside
// the POST's own round trip (the ceiling: no event can arrive before its write commits).
// The same for presence: a second agent switching between viewing and replying, each switch
// a `presence` event on every stream, beside the PUT's round trip. Also the child's resident
// memory per open stream.
import { request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startPostgres, startRedis } from '@helpdesk/harness'
import { percentile, reportRow } from '../../harness/src/bench/report.ts'
import { createUser } from '../src/accounts/commands.ts'
import { loadConfig } from '../src/config.ts'
import { PLATFORM_RATE_LIMITS } from '../src/platform/rate-limits.ts'
import { startServer } from '../src/server.ts'
import { startServerProcess } from '../test/support/process.ts'
import { benchAppKeysDir } from './app-keys.ts'

const STREAMS = 1_000
const MESSAGES = 40

const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()])
const environment = {
  LOG_LEVEL: 'warn',
  DATABASE_URL: await postgres.createDatabase('live'),
  REDIS_URL: redis.url,
  HELPDESK_APP_KEYS_DIR: benchAppKeysDir(),
}
/** Every stream comes from one address: the global limit is raised out of the way. */
const unlimited = { global: { ...PLATFORM_RATE_LIMITS.global, points: 1_000_000_000 } }
const posting = await startServer(
  loadConfig({ ...environment, PORT: '0', HELPDESK_METRICS_PORT: '0' }),
  {
    migrate: true,
    redisKeyPrefix: '',
    rateLimits: unlimited,
  },
)
const holding = await startServerProcess(
  fileURLToPath(new URL('./serve-unlimited.ts', import.meta.url)),
  environment,
)

async function signIn(email: string, password: string) {
  const answer = await fetch(`${posting.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}`)
  const cookie = answer.headers.getSetCookie()[0]?.split(';')[0] ?? ''
  return { cookie, csrfToken: ((await answer.json()) as { csrfToken: string }).csrfToken }
}

async function residentBytes(metricsUrl: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text()
  return Number(/^process_resident_memory_bytes (\S+)/m.exec(text)?.[1])
}

try {
  const password = 'bench-password-123456'
  await createUser(posting.app.services.orm.em.fork(), {
    role: 'agent',
    name: 'Bench Agent',
    email: 'agent@bench.test',
    password,
  })
  const agent = await signIn('agent@bench.test', password)
  // Presence is never sent to the person it is about: a second agent announces it.
  await createUser(posting.app.services.orm.em.fork(), {
    role: 'agent',
    name: 'Present Agent',
    email: 'present@bench.test',
    password,
  })
  const present = await signIn('present@bench.test', password)
  const ticket = (await (
    await fetch(`${posting.url}/api/v1/tickets`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: agent.cookie,
        'X-CSRFToken': agent.csrfToken,
      },
      body: JSON.stringify({ subject: 'Fan-out', body: 'Measuring.' }),
    })
  ).json()) as { id: string }

  // Memory: the child's resident set before and after the streams open, idle.
  const before = await residentBytes(holding.metricsUrl)
  const { port } = new URL(holding.url)
  // Replies (and presence changes) go out one at a time, each once every stream has it: an
  // event of the awaited kind on a stream is the current one's (it may come before the
  // request's answer).
  let waitingFor: { event: string; sentAt: number; arrivals: number[] } | undefined
  let onArrival: () => void = () => {}
  await Promise.all(
    Array.from(
      { length: STREAMS },
      () =>
        new Promise<void>((resolve, reject) => {
          const call = request(
            {
              host: '127.0.0.1',
              port,
              path: '/api/v1/events',
              headers: { Cookie: agent.cookie, Accept: 'text/event-stream' },
              agent: false,
            },
            (response) => {
              if (response.statusCode !== 200) reject(new Error(`${response.statusCode}`))
              response.setEncoding('utf8')
              response.on('data', (chunk: string) => {
                if (chunk.includes('event: ready')) resolve()
                if (waitingFor && chunk.includes(`event: ${waitingFor.event}`)) {
                  waitingFor.arrivals.push(performance.now() - waitingFor.sentAt)
                  onArrival()
                }
              })
            },
          )
          call.on('error', reject)
          call.end()
        }),
    ),
  )
  const after = await residentBytes(holding.metricsUrl)

  /** Sends `times` requests one by one; each time, how long until every stream had its event. */
  async function fanOut(
    event: string,
    times: number,
    send: (index: number) => Promise<Response>,
  ): Promise<{ roundTrips: number[]; arrivals: number[] }> {
    const roundTrips: number[] = []
    const arrivals: number[] = []
    for (let index = 0; index < times; index++) {
      const sentAt = performance.now()
      const all = new Promise<void>((resolve) => {
        onArrival = () => {
          if ((waitingFor?.arrivals.length ?? 0) >= STREAMS) resolve()
        }
      })
      waitingFor = { event, sentAt, arrivals: [] }
      const answer = await send(index)
      roundTrips.push(performance.now() - sentAt)
      if (!answer.ok) throw new Error(`the ${event} request answered ${answer.status}`)
      await all
      arrivals.push(...waitingFor.arrivals)
    }
    return { roundTrips, arrivals }
  }
  const as = (session: { cookie: string; csrfToken: string }, method: string, body: object) => ({
    method,
    headers: {
      'Content-Type': 'application/json',
      Cookie: session.cookie,
      'X-CSRFToken': session.csrfToken,
    },
    body: JSON.stringify(body),
  })

  const replies = await fanOut('message.added', MESSAGES, (index) =>
    fetch(
      `${posting.url}/api/v1/tickets/${ticket.id}/messages`,
      as(agent, 'POST', { body: `Reply ${index}` }),
    ),
  )
  // Each PUT changes the state, so each is news.
  const presence = await fanOut('presence', MESSAGES, (index) =>
    fetch(
      `${posting.url}/api/v1/tickets/${ticket.id}/presence`,
      as(present, 'PUT', { state: index % 2 === 0 ? 'viewing' : 'replying' }),
    ),
  )

  for (const p of [50, 95] as const) {
    reportRow({
      name: `live: reply posted on one process → event on each of ${STREAMS} streams held by another (p${p})`,
      figure: percentile(replies.arrivals, p),
      unit: 'ms',
      ceilingName: 'the POST round trip itself',
      ceiling: percentile(replies.roundTrips, p),
    })
  }
  for (const p of [50, 95] as const) {
    reportRow({
      name: `live: presence changed on one process → event on each of ${STREAMS} streams held by another (p${p})`,
      figure: percentile(presence.arrivals, p),
      unit: 'ms',
      ceilingName: 'the PUT round trip itself',
      ceiling: percentile(presence.roundTrips, p),
    })
  }
  reportRow({
    name: `live: resident memory per open event stream (${STREAMS} idle streams)`,
    figure: (after - before) / STREAMS / 1024,
    unit: 'KiB',
  })
} finally {
  holding.child.kill('SIGTERM')
  await holding.exited
  await posting.shutdown()
  await Promise.all([postgres.stop(), redis.stop()])
}
