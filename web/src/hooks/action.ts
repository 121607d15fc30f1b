// What a person starts (save, send, delete) shows that it is under way and, when it fails,
// why — beside the control, so they can correct and try again.
import { useCallback, useState } from 'react'

export interface Action {
  busy: boolean
  /** The last failure, or a problem found before running; null when there is none. */
  error: unknown
  /** Runs `action`, busy meanwhile; a failure becomes `error` instead of rejecting. */
  run(action: () => Promise<void>): Promise<void>
  /** Reports a problem found without running (say, an empty field), or clears it with null. */
  setError(error: unknown): void
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, run, setError }
}
