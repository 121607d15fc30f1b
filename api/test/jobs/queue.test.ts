// The Postgres job queue with several API processes' workers competing for the same jobs:
// each job runs exactly once, failures are retried later, a worker that dies mid-job gives
// its job back, and a recurring job runs once per period however many replicas there are.
import { fileURLToPath } from 'node:url'
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { enqueue, type JobDefinition, JobQueue } from '../../src/jobs/queue.ts'
import { modules } from '../../src/modules.ts'
import type { HelpdeskModule } from '../../src/platform/module.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import { killServerProcesses, startServerProcess } from '../support/process.ts'
import { until } from '../support/wait.ts'

const SERVE_WITH_HANGING_JOB = fileURLToPath(
  new URL('../fixtures/serve-with-hanging-job.ts', import.meta.url),
)

const REPLICAS = 4
const databaseUrl = await testServices.postgres().createDatabase('jobs')
const sql = new pg.Pool({ connectionString: databaseUrl, max: 3 })
const apps: TestApp[] = []

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  return (await sql.query<T>(text, values)).rows
}

/** The jobs of one replica; `replica` tells in the results who ran what. */
function jobsOf(replica: number): JobDefinition[] {
  return [
    {
      kind: 'test.record',
      async handle({ em, payload }) {
        await em.execute('insert into job_runs (label, replica) values (?, ?)', [
          (payload as { label: string }).label,
          replica,
        ])
      },
    },
    {
      kind: 'test.fail',
      maxAttempts: 2,
      async handle({ em, payload }) {
        await em.execute('insert into job_runs (label, replica) values (?, ?)', [
          (payload as { label: string }).label,
          replica,
        ])
        throw new Error('upstream refused')
      },
    },
    {
      kind: 'test.tick',
      everySeconds: 1,
      async handle({ em }) {
        await em.execute('insert into job_runs (label, replica) values (?, ?)', ['tick', replica])
      },
    },
  ]
}

beforeAll(async () => {
  for (let replica = 0; replica < REPLICAS; replica++) {
    const module: HelpdeskModule = { name: `jobs-test-${replica}`, jobs: jobsOf(replica) }
    apps.push(
      await startTestApp(
        { DATABASE_URL: databaseUrl, REDIS_URL: testServices.redis().url },
        { modules: [...modules, module], jobs: { pollMs: 20 } },
      ),
    )
    if (replica === 0) {
      await query('create table job_runs (label text not null, replica int not null)')
    }
  }
})

afterAll(async () => {
  killServerProcesses()
  await Promise.all(apps.map((app) => app.close()))
  await sql.end()
})

const em = () => (apps[0] as TestApp).app.services.orm.em.fork()

describe('the job queue with competing workers', () => {
  it('runs each of many jobs exactly once, spread over the replicas', async () => {
    const labels = Array.from({ length: 300 }, (_, index) => `job-${index}`)
    for (const label of labels) await enqueue(em(), 'test.record', { label })
    await until(
      async () => (await query(`select 1 from jobs where kind = 'test.record'`)).length === 0,
    )
    const runs = await query<{ label: string; replica: number }>(
      `select label, replica from job_runs where label like 'job-%'`,
    )
    expect(runs.map((run) => run.label).sort()).toEqual([...labels].sort())
    expect(new Set(runs.map((run) => run.replica)).size).toBeGreaterThan(1)
  })

  it('ignores a second job with the same key while the first is queued', async () => {
    const later = new Date(Date.now() + 60_000)
    await enqueue(em(), 'test.record', { label: 'keyed-1' }, { key: 'same', runAt: later })
    await enqueue(em(), 'test.record', { label: 'keyed-2' }, { key: 'same', runAt: later })
    const queued = await query<{ payload: { label: string } }>(
      `select payload from jobs where key = 'same'`,
    )
    expect(queued.map((job) => job.payload.label)).toEqual(['keyed-1'])
  })

  it('rolls back a failed attempt, retries it later and gives up after its last attempt', async () => {
    await enqueue(em(), 'test.fail', { label: 'failing' })
    await until(
      async () =>
        (await query(`select 1 from jobs where kind = 'test.fail' and attempts = 1`)).length === 1,
    )
    const [job] = await query<{ last_error: string; wait: number; failed_at: Date | null }>(
      `select last_error, extract(epoch from run_at - now()) as wait, failed_at
       from jobs where kind = 'test.fail'`,
    )
    expect(job?.last_error).toBe('upstream refused')
    expect(Number(job?.wait)).toBeGreaterThan(2)
    expect(job?.failed_at).toBeNull()
    expect(await query(`select 1 from job_runs where label = 'failing'`)).toEqual([])

    await query(`update jobs set run_at = now() where kind = 'test.fail'`)
    await until(
      async () =>
        (await query(`select 1 from jobs where kind = 'test.fail' and failed_at is not null`))
          .length === 1,
    )
    const [failed] = await query<{ attempts: number }>(
      `select attempts from jobs where kind = 'test.fail'`,
    )
    expect(failed?.attempts).toBe(2)
  })

  it('gives the job of a replica that died mid-job back to the queue', async () => {
    const replica = await startServerProcess(SERVE_WITH_HANGING_JOB, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testServices.redis().url,
    })
    await enqueue(em(), 'test.hang', { label: 'orphaned' })
    await until(async () => replica.stdout().includes('job started {"label":"orphaned"}'))
    const survivor = new JobQueue((apps[0] as TestApp).app.services, [
      {
        kind: 'test.hang',
        async handle({ em, payload }) {
          await em.execute('insert into job_runs (label, replica) values (?, ?)', [
            (payload as { label: string }).label,
            0,
          ])
        },
      },
    ])
    // Held by the replica's transaction: skipped, not run twice.
    expect(await survivor.runOne()).toBe(false)
    replica.child.kill('SIGKILL')
    await replica.exited
    await until(() => survivor.runOne())
    expect(await query(`select 1 from job_runs where label = 'orphaned'`)).toHaveLength(1)
    expect(await query(`select 1 from jobs where kind = 'test.hang'`)).toEqual([])
  })

  it('runs a recurring job once per period across all replicas', async () => {
    const ticks = async () =>
      Number(
        (await query<{ n: string }>(`select count(*) as n from job_runs where label = 'tick'`))[0]
          ?.n,
      )
    await until(async () => (await ticks()) >= 3)
    const [row] = await query<{ ticks: string; alive: number }>(
      `select (select count(*) from job_runs where label = 'tick') as ticks,
              (select extract(epoch from now() - created_at) from jobs
               where kind = 'test.tick') as alive`,
    )
    expect(Number(row?.ticks)).toBeGreaterThanOrEqual(3)
    // One run per second at most (plus the first), where 4 replicas each ticking would be 4.
    expect(Number(row?.ticks)).toBeLessThanOrEqual(Math.ceil(Number(row?.alive)) + 1)
  })
})
