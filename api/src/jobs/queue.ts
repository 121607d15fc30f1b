// Background work from a Postgres table, safe with any number of API replicas: a worker
// claims one due job with FOR UPDATE SKIP LOCKED and runs it inside the same transaction, so
// the job's own writes and its removal (or rescheduling) commit together, a crashed worker's
// job returns to the queue when its transaction dies, and no two workers run the same job.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Logger } from '../observability/logger.ts'
import { announcing, announcingIfSucceeds } from '../platform/announcements.ts'
import type { Services } from '../platform/services.ts'

export interface JobContext {
  /** The job's transaction: its writes commit only if the job succeeds. */
  em: EntityManager
  payload: unknown
  attempt: number
  services: Services
}

export interface JobDefinition {
  kind: string
  handle(context: JobContext): Promise<void>
  /** Runs again this many seconds after each run, forever (one row for the kind). */
  everySeconds?: number
  /** After this many failed attempts a one-off job stays in the table, marked failed. */
  maxAttempts?: number
  /** Longest a single statement of the job may take. @default 60 s */
  statementTimeoutMs?: number
  /**
   * Runs after a failed attempt, in the queue's transaction once the attempt's own writes are
   * rolled back: a feature records the failure where its people look (the mail outbox).
   */
  onFailure?(failure: JobFailure): Promise<void>
}

export interface JobFailure {
  em: EntityManager
  payload: unknown
  attempt: number
  error: unknown
  /** No more attempts follow: the job stays in the table, marked failed. */
  gaveUp: boolean
  /** When the next attempt runs (undefined when it gave up). */
  retryAt?: Date
}

export interface EnqueueOptions {
  runAt?: Date
  /** At most one queued job per key: enqueueing the same key again is ignored. */
  key?: string
}

interface ClaimedJob {
  id: string
  kind: string
  payload: unknown
  attempts: number
  every_seconds: number | null
}

const DEFAULT_MAX_ATTEMPTS = 10
const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000

/** Retry delays grow 5 s, 10 s, 20 s, ... up to an hour. */
function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempts - 1))
}

/**
 * Runs a job that gave up (or waits) again now, with a fresh count of attempts; adds it when
 * it is gone. Admins use it to retry dead letters.
 */
export async function requeue(
  em: EntityManager,
  kind: string,
  payload: unknown,
  key: string,
): Promise<void> {
  await em.execute(
    `insert into jobs (kind, payload, key) values (?, ?, ?)
     on conflict (key) do update
       set failed_at = null, attempts = 0, last_error = null, run_at = now(),
           payload = excluded.payload`,
    [kind, JSON.stringify(payload ?? {}), key],
  )
}

/** Adds a one-off job; inside a transaction it is queued only if that transaction commits. */
export async function enqueue(
  em: EntityManager,
  kind: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<void> {
  await em.execute(
    `insert into jobs (kind, payload, run_at, key) values (?, ?, ?, ?)
     on conflict (key) do nothing`,
    [kind, JSON.stringify(payload ?? {}), options.runAt ?? new Date(), options.key ?? null],
  )
}

export class JobQueue {
  readonly #services: Services
  readonly #em: EntityManager
  readonly #definitions: Map<string, JobDefinition>
  readonly #logger: Logger

  constructor(services: Services, definitions: readonly JobDefinition[]) {
    this.#services = services
    this.#em = services.orm.em
    this.#logger = services.logger
    this.#definitions = new Map(definitions.map((definition) => [definition.kind, definition]))
  }

  /** Makes sure every recurring kind has its row; safe when many processes start at once. */
  async scheduleRecurring(): Promise<void> {
    for (const definition of this.#definitions.values()) {
      if (!definition.everySeconds) continue
      await this.#em.fork().execute(
        `insert into jobs (kind, key, every_seconds) values (?, ?, ?)
         on conflict (key) do update set every_seconds = excluded.every_seconds`,
        [definition.kind, `recurring:${definition.kind}`, definition.everySeconds],
      )
    }
  }

  /**
   * Claims and runs at most one due job; true when one was attempted. What a successful
   * attempt announces (live news) goes out once the queue's transaction has committed.
   */
  async runOne(): Promise<boolean> {
    const { events, logger } = this.#services
    return announcing(events, logger, () =>
      this.#em.fork().transactional((em) => this.#attempt(em)),
    )
  }

  async #attempt(em: EntityManager): Promise<boolean> {
    const job = await this.#claim(em)
    if (!job) return false
    const definition = this.#definitions.get(job.kind) as JobDefinition
    const timeout = definition.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS
    await em.execute(`select set_config('statement_timeout', ?, true)`, [String(timeout)])
    await em.execute('savepoint job_attempt')
    try {
      await announcingIfSucceeds(async () => {
        await definition.handle({
          em,
          payload: job.payload,
          attempt: job.attempts + 1,
          services: this.#services,
        })
        await em.flush()
      })
    } catch (error) {
      em.clear()
      await em.execute('rollback to savepoint job_attempt')
      await this.#recordFailure(em, job, definition, error)
      return true
    }
    await this.#recordSuccess(em, job)
    return true
  }

  async #claim(em: EntityManager): Promise<ClaimedJob | undefined> {
    const [job] = await em.execute<ClaimedJob[]>(
      `select id, kind, payload, attempts, every_seconds from jobs
       where run_at <= now() and failed_at is null and kind in (?)
       order by run_at limit 1
       for update skip locked`,
      [[...this.#definitions.keys()]],
    )
    return job
  }

  async #recordSuccess(em: EntityManager, job: ClaimedJob): Promise<void> {
    if (job.every_seconds === null) {
      await em.execute('delete from jobs where id = ?', [job.id])
      return
    }
    await em.execute(
      `update jobs set run_at = now() + make_interval(secs => ?), attempts = 0, last_error = null
       where id = ?`,
      [job.every_seconds, job.id],
    )
  }

  async #recordFailure(
    em: EntityManager,
    job: ClaimedJob,
    definition: JobDefinition,
    error: unknown,
  ): Promise<void> {
    const attempts = job.attempts + 1
    const recurring = job.every_seconds !== null
    const gaveUp = !recurring && attempts >= (definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)
    this.#logger.error({ err: error, job: { id: job.id, kind: job.kind, attempts } }, 'job failed')
    const delay = recurring
      ? Math.min(job.every_seconds as number, retryDelaySeconds(attempts))
      : retryDelaySeconds(attempts)
    const message = error instanceof Error ? error.message : String(error)
    await em.execute(
      `update jobs set attempts = ?, last_error = ?, run_at = now() + make_interval(secs => ?),
         failed_at = case when ? then now() end
       where id = ?`,
      [attempts, message.slice(0, 2000), delay, gaveUp, job.id],
    )
    if (!definition.onFailure) return
    // The failure is recorded above whatever the hook does: it gets a savepoint of its own.
    await em.execute('savepoint job_failure')
    try {
      await definition.onFailure({
        em,
        payload: job.payload,
        attempt: attempts,
        error,
        gaveUp,
        ...(gaveUp ? {} : { retryAt: new Date(Date.now() + delay * 1000) }),
      })
    } catch (hookError) {
      em.clear()
      await em.execute('rollback to savepoint job_failure')
      this.#logger.error(
        { err: hookError, job: { id: job.id, kind: job.kind } },
        'job failure hook failed',
      )
    }
  }
}
