import type { BackoffOptions } from './backoff.ts'
import type { Logger } from './logger.ts'
import type { OperatorMetrics } from './metrics.ts'
import { WorkQueue } from './work-queue.ts'

/** What a reconcile asks for besides success: to be looked at again after some time. */
export interface ReconcileResult {
  requeueAfterMs?: number
}

export type ReconcileFunction = (key: string) => Promise<ReconcileResult | undefined>

export interface ControllerOptions {
  name: string
  reconcile: ReconcileFunction
  concurrency: number
  backoff: BackoffOptions
  metrics: OperatorMetrics
  logger: Logger
}

/**
 * Level-triggered reconciliation of keys ("namespace/name") by a bounded number of
 * workers. A failed reconcile is retried with exponential backoff; the same key is never
 * reconciled by two workers at once.
 */
export class Controller {
  readonly name: string
  readonly #options: ControllerOptions
  readonly #queue: WorkQueue
  #workers: Promise<void>[] = []

  constructor(options: ControllerOptions) {
    this.name = options.name
    this.#options = options
    const depth = options.metrics.queueDepth.labels({ controller: options.name })
    depth.set(0)
    this.#queue = new WorkQueue(options.backoff, (value) => depth.set(value))
  }

  enqueue(key: string, afterMs = 0): void {
    this.#queue.addAfter(key, afterMs)
  }

  start(): void {
    for (let worker = 0; worker < this.#options.concurrency; worker++) {
      this.#workers.push(this.#work())
    }
  }

  /** Takes no new keys and waits for the reconciles in flight to finish. */
  async stop(): Promise<void> {
    this.#queue.shutDown()
    await Promise.all(this.#workers)
    this.#workers = []
  }

  async #work(): Promise<void> {
    for (let key = await this.#queue.get(); key !== undefined; key = await this.#queue.get()) {
      await this.#reconcileOne(key)
      this.#queue.done(key)
    }
  }

  async #reconcileOne(key: string): Promise<void> {
    const { metrics, logger, name } = this.#options
    const stopTimer = metrics.reconcileDuration.startTimer({ controller: name })
    try {
      const result = await this.#options.reconcile(key)
      this.#queue.forget(key)
      if (result?.requeueAfterMs !== undefined) this.#queue.addAfter(key, result.requeueAfterMs)
      metrics.reconciles.inc({ controller: name, result: 'success' })
    } catch (error) {
      const retryInMs = this.#queue.addRateLimited(key)
      metrics.reconciles.inc({ controller: name, result: 'error' })
      metrics.reconcileErrors.inc({ controller: name })
      logger.error({ err: error, controller: name, key, retryInMs }, 'reconcile failed')
    } finally {
      stopTimer()
    }
  }
}
