import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../observability/logger.ts'
import type { Services } from '../platform/services.ts'
import { type JobDefinition, JobQueue } from './queue.ts'

export interface WorkerOptions {
  /** Pause between polls when no job is due. @default 1000 */
  pollMs?: number
}

/** Pause after the database could not be reached, so a dead database is not hammered. */
const ERROR_PAUSE_MS = 5_000

/**
 * The loop every API process runs: run due jobs back to back, then poll. Replicas compete
 * through the queue's row locks; jitter keeps their polls from lining up.
 */
class JobWorker {
  readonly #queue: JobQueue
  readonly #logger: Logger
  readonly #pollMs: number
  readonly #stopping = new AbortController()
  #running: Promise<void> | undefined

  constructor(queue: JobQueue, logger: Logger, options: WorkerOptions = {}) {
    this.#queue = queue
    this.#logger = logger
    this.#pollMs = options.pollMs ?? 1_000
  }

  start(): void {
    this.#running ??= this.#loop()
  }

  /** Lets the job in progress finish (its transaction commits or rolls back), then returns. */
  async stop(): Promise<void> {
    this.#stopping.abort()
    await this.#running
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
      } catch (error) {
        this.#logger.warn({ err: error }, 'job queue unavailable; retrying')
        pause = ERROR_PAUSE_MS
      }
      if (pause > 0) await sleep(pause, undefined, { signal }).catch(() => {})
    }
  }
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
