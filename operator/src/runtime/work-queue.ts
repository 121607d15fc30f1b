import { type BackoffOptions, backoffDelay } from './backoff.ts'

/**
 * A work queue with the semantics controllers rely on (as in client-go):
 * - a key waits in the queue at most once, however often it is added (dedup);
 * - a key is never handed to two workers at once; added while being processed, it is
 *   queued again when the worker calls `done`;
 * - failures back off exponentially per key until `forget`;
 * - `addAfter` schedules a key for later, keeping only the earliest pending time.
 */
export class WorkQueue {
  readonly #backoff: BackoffOptions
  readonly #onDepthChange: (depth: number) => void
  readonly #ready: string[] = []
  readonly #dirty = new Set<string>()
  readonly #processing = new Set<string>()
  readonly #failures = new Map<string, number>()
  readonly #delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>()
  #waiters: Array<(key: string | undefined) => void> = []
  #shuttingDown = false

  constructor(backoff: BackoffOptions, onDepthChange: (depth: number) => void = () => {}) {
    this.#backoff = backoff
    this.#onDepthChange = onDepthChange
  }

  get depth(): number {
    return this.#ready.length
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return
    this.#dirty.add(key)
    if (!this.#processing.has(key)) this.#push(key)
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return
    if (delayMs <= 0) {
      this.add(key)
      return
    }
    const at = Date.now() + delayMs
    const pending = this.#delayed.get(key)
    if (pending && pending.at <= at) return
    if (pending) clearTimeout(pending.timer)
    const timer = setTimeout(() => {
      this.#delayed.delete(key)
      this.add(key)
    }, delayMs)
    timer.unref()
    this.#delayed.set(key, { at, timer })
  }

  /** Re-adds a key after a failure, with a delay that doubles on each consecutive failure. */
  addRateLimited(key: string): number {
    const failures = (this.#failures.get(key) ?? 0) + 1
    this.#failures.set(key, failures)
    const delay = backoffDelay(failures, this.#backoff)
    this.addAfter(key, delay)
    return delay
  }

  /** Ends a key's failure streak: its next failure starts again at the base delay. */
  forget(key: string): void {
    this.#failures.delete(key)
  }

  /** The next key to process, or undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    const key = this.#ready.shift()
    if (key !== undefined) {
      this.#onDepthChange(this.#ready.length)
      this.#dirty.delete(key)
      this.#processing.add(key)
      return Promise.resolve(key)
    }
    if (this.#shuttingDown) return Promise.resolve(undefined)
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  done(key: string): void {
    this.#processing.delete(key)
    if (this.#dirty.has(key)) this.#push(key)
  }

  /** Stops handing out keys; workers waiting in `get` receive undefined. */
  shutDown(): void {
    this.#shuttingDown = true
    for (const { timer } of this.#delayed.values()) clearTimeout(timer)
    this.#delayed.clear()
    const waiters = this.#waiters
    this.#waiters = []
    for (const resolve of waiters) resolve(undefined)
  }

  #push(key: string): void {
    const waiter = this.#waiters.shift()
    if (waiter) {
      this.#dirty.delete(key)
      this.#processing.add(key)
      waiter(key)
      return
    }
    this.#ready.push(key)
    this.#onDepthChange(this.#ready.length)
  }
}
