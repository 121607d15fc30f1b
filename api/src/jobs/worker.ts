import { setTimeout as sleep } from 'node:timers/promises'
import { isDependencyFailure } from '../http/dependency-errors.ts'
import type { Logger } from '../observability/logger.ts'
import type { Services } from '../platform/services.ts'
import { type JobDefinition, JobQueue } from './queue.ts'

export interface WorkerOptions {
  /** Pause between polls when no job is due. @default 1000 */
  pollMs?: number
  /** Pause after the database could not be reached, so a dead one is not hammered. @default 5000 */
  retryMs?: number
}

/**
 * The loop every API process runs: run due jobs back to back, then poll. Replicas compete
 * through the queue's row locks; jitter keeps their polls from lining up.
 */
class JobWorker {
  readonly #queue: JobQueue
  readonly #logger: Logger
  readonly #pollMs: number
  readonly #retryMs: number
  readonly #stopping = new AbortController()
  #running: Promise<void> | undefined
  /** The database cannot be reached: said once when it happens, not at every retry. */
  #unreachable = false

  constructor(queue: JobQueue, logger: Logger, options: WorkerOptions = {}) {
    this.#queue = queue
    this.#logger = logger
    this.#pollMs = options.pollMs ?? 1_000
    this.#retryMs = options.retryMs ?? 5_000
  }

  start(): void {
    this.#running ??= this.#loop()
  }

  /** Lets the job in progress finish (its transaction commits or rolls back), then returns. */
  async stop(): Promise<void> {
    this.#stopping.abort()
    await this.#running
  }

  #failed(error: unknown): void {
    const reason = describeFailure(error)
    if (reason === undefined) {
      this.#logger.warn({ err: error }, 'job queue failed; retrying')
      return
    }
    if (this.#unreachable) return
    this.#unreachable = true
    this.#logger.warn(
      { reason, retryEverySeconds: this.#retryMs / 1000 },
      'the database cannot be reached; retrying',
    )
  }

  #reachable(): void {
    if (!this.#unreachable) return
    this.#unreachable = false
    this.#logger.info('the database is reachable again')
  }

  async #loop(): Promise<void> {
    const signal = this.#stopping.signal
    let scheduled = false
    while (!signal.aborted) {
      let pause = this.#pollMs * (0.5 + Math.random())
      try {
        if (!scheduled) {
          await this.#queue.scheduleRecurring()
          scheduled = true
        }
        if (await this.#queue.runOne()) pause = 0
        this.#reachable()
      } catch (error) {
        this.#failed(error)
        pause = this.#retryMs
      }
      if (pause > 0) await sleep(pause, undefined, { signal }).catch(() => {})
    }
  }
}

/**
 * An unreachable database is said in one line when it happens (and its recovery when that
 * does), not with a stack every few seconds; anything else is a bug worth its stack.
 */
function describeFailure(error: unknown): string | undefined {
  return isDependencyFailure(error) ? (error as Error).message : undefined
}

/** Starts this process's worker over the modules' jobs; the result stops it. */
export function startJobWorker(
  services: Services,
  definitions: readonly JobDefinition[],
  options: WorkerOptions = {},
): () => Promise<void> {
  if (definitions.length === 0) return async () => {}
  const worker = new JobWorker(new JobQueue(services, definitions), services.logger, options)
  worker.start()
  return () => worker.stop()
}
