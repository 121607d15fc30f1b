// Waiting for a dependency instead of failing: on a first install the API pods, the
// migrations Job and the bucket Job start before Postgres and MinIO answer (their Services have
// no DNS records until their pods are Ready), and the API before the migrations have run. None
// of that is worth a crash, a restart and a stack trace: say what is awaited in one line, once
// per reason, and try again.
import { isDependencyFailure } from '../http/dependency-errors.ts'

const UNDEFINED_TABLE = '42P01'

/** Thrown by a step that waits for something else to happen first (the migrations). */
export class NotYet extends Error {}

export interface WaitOptions {
  /** Receives one line each time the reason for waiting changes. */
  log: (line: string) => void
  /** @default 2000 */
  intervalMs?: number
  /** Give up (rethrow the last error) after this long. @default no limit */
  timeoutMs?: number
  /** Give up (rethrow the last error) once this is true: the process is stopping. */
  giveUp?: () => boolean
}

/** Why `error` is worth waiting out, or undefined when it is not. */
function waitReason(error: unknown): string | undefined {
  if (error instanceof NotYet) return error.message
  if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return 'the schema is not there yet'
  if (isDependencyFailure(error)) return `unreachable (${(error as Error).message})`
  return undefined
}

/**
 * Runs `attempt` until it succeeds. An unavailable dependency, a schema not yet migrated and
 * a NotYet are waited out; anything else is thrown at once.
 */
export async function whenAvailable<T>(
  what: string,
  attempt: () => Promise<T>,
  { log, intervalMs = 2_000, timeoutMs = Number.POSITIVE_INFINITY, giveUp }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastReason: string | undefined
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      const reason = waitReason(error)
      if (reason === undefined || Date.now() > deadline || giveUp?.()) throw error
      if (reason !== lastReason) log(`${what}: waiting, ${reason}`)
      lastReason = reason
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
