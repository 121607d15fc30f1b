// News of a write goes out only once the write is committed: a command announces after its
// transaction, but that transaction may sit inside another (an idempotent route runs the whole
// handler in one), so announcements wait in the scope of the request, job or mail that made
// them and are published when that scope ends without an error.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Logger } from '../observability/logger.ts'
import type { EventBus } from './event-bus.ts'

const pending = new AsyncLocalStorage<object[]>()

/** Queues news for the bus; published when the enclosing `announcing` scope succeeds. */
export function announce(payload: object): void {
  pending.getStore()?.push(payload)
}

/**
 * Runs `work` and then publishes what it announced. Nested scopes join the outer one. A bus
 * that fails is logged, never the caller's failure: the write is committed, and streams that
 * miss news refetch on their next resync.
 */
export async function announcing<T>(
  bus: EventBus,
  logger: Logger,
  work: () => Promise<T>,
): Promise<T> {
  if (pending.getStore()) return work()
  const queued: object[] = []
  const result = await pending.run(queued, work)
  if (queued.length > 0) {
    await bus.publish(queued).catch((error: unknown) => {
      logger.warn({ err: error }, 'live events not published')
    })
  }
  return result
}

/**
 * Runs `work` in a scope of its own inside an `announcing` one: its news joins the enclosing
 * scope when it succeeds and is dropped when it throws (a job attempt rolled back to its
 * savepoint changed nothing, so it has nothing to tell).
 */
export async function announcingIfSucceeds<T>(work: () => Promise<T>): Promise<T> {
  const enclosing = pending.getStore()
  if (!enclosing) return work()
  const own: object[] = []
  const result = await pending.run(own, work)
  enclosing.push(...own)
  return result
}
