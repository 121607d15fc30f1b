export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

/** Exponential backoff: base, 2·base, 4·base … capped at max, for the n-th failure (1-based). */
export function backoffDelay(failures: number, { baseMs, maxMs }: BackoffOptions): number {
  const exponent = Math.max(0, failures - 1)
  // 2^exponent overflows to Infinity long after the cap is reached; Math.min handles it.
  return Math.min(maxMs, baseMs * 2 ** exponent)
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
