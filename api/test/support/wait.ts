// Waiting for an event instead of a clock: tests poll until what they wait for has happened,
// and the test's own timeout (a bound for hangs) is the only limit. A loaded machine makes a
// wait longer, never a test wrong.
import { setTimeout as sleep } from 'node:timers/promises'

/** Resolves once `check` holds; a check that throws counts as "not yet". */
export async function until(check: () => boolean | Promise<boolean>, pauseMs = 50): Promise<void> {
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  )
    await sleep(pauseMs)
}
