// Loading state for pages: every fetch is cancelled when its key changes or the page goes
// away, so a slow answer for an old filter never overwrites a newer one. A reload with the
// same key keeps showing the current data until the fresh answer arrives (no flicker, and
// forms on the page keep what was typed).
import { useCallback, useEffect, useRef, useState } from 'react'
import { isAbort } from '../api/client.ts'
import type { Page } from '../api/types.ts'

export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; data: T }

export interface Loaded<T> {
  result: Loadable<T>
  reload(): void
  /** Replaces the loaded value after a successful change, without a round trip. */
  update(change: (current: T) => T): void
}

/** Loads `load()` whenever `key` changes (and on `reload()`). */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' })
  const [version, setVersion] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const loadedKey = useRef<string | null>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and version are the triggers
  useEffect(() => {
    const controller = new AbortController()
    const fresh = loadedKey.current !== key
    loadedKey.current = key
    if (fresh) setResult({ state: 'loading' })
    loadRef.current(controller.signal).then(
      (data) => setResult({ state: 'ready', data }),
      (error: unknown) => {
        if (isAbort(error) || controller.signal.aborted) return
        // A failed refresh leaves the data on screen; the next action will tell.
        setResult((current) =>
          fresh || current.state !== 'ready' ? { state: 'error', error } : current,
        )
      },
    )
    return () => controller.abort()
  }, [key, version])

  const reload = useCallback(() => setVersion((value) => value + 1), [])
  const update = useCallback((change: (current: T) => T) => {
    setResult((current) =>
      current.state === 'ready' ? { state: 'ready', data: change(current.data) } : current,
    )
  }, [])
  return { result, reload, update }
}

export interface PagedList<T> {
  state: 'loading' | 'error' | 'ready'
  items: T[]
  error: unknown
  hasMore: boolean
  loadingMore: boolean
  /** The error of the last "load more", shown beside the button. */
  moreError: unknown
  loadMore(): void
  reload(): void
  update(change: (items: T[]) => T[]): void
}

/** A cursor-paginated list that starts over whenever `key` changes. */
export function usePaged<T>(
  key: string,
  loadPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([])
  const [state, setState] = useState<PagedList<T>['state']>('loading')
  const [error, setError] = useState<unknown>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<unknown>(null)
  const [version, setVersion] = useState(0)
  const loadRef = useRef(loadPage)
  loadRef.current = loadPage
  const generation = useRef(0)
  const loadedKey = useRef<string | null>(null)
  const shown = useRef({ count: 0, loadingMore: false })
  shown.current = { count: items.length, loadingMore }

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and version are the triggers
  useEffect(() => {
    const controller = new AbortController()
    generation.current += 1
    const fresh = loadedKey.current !== key
    loadedKey.current = key
    if (fresh) {
      setState('loading')
      setItems([])
    }
    setMoreError(null)
    // A refresh reloads as many items as are on screen, and one page more when "Load more" is
    // under way (its answer is dropped as older than the refresh): news must neither fold a
    // list the reader opened back to its first page nor swallow the click.
    const wanted = fresh ? 0 : shown.current.count + (shown.current.loadingMore ? 1 : 0)
    loadPagesCovering(loadRef.current, wanted, controller.signal).then(
      (page) => {
        setItems(page.items)
        setCursor(page.nextCursor)
        setState('ready')
      },
      (failure: unknown) => {
        if (isAbort(failure) || controller.signal.aborted) return
        setError(failure)
        setState((current) => (fresh || current !== 'ready' ? 'error' : current))
      },
    )
    return () => controller.abort()
  }, [key, version])

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return
    const started = generation.current
    setLoadingMore(true)
    setMoreError(null)
    loadRef
      .current(cursor, new AbortController().signal)
      .then(
        (page) => {
          if (started !== generation.current) return
          setItems((current) => [...current, ...page.items])
          setCursor(page.nextCursor)
        },
        (failure: unknown) => {
          if (started === generation.current) setMoreError(failure)
        },
      )
      .finally(() => setLoadingMore(false))
  }, [cursor, loadingMore])

  const reload = useCallback(() => setVersion((value) => value + 1), [])
  return {
    state,
    items,
    error,
    hasMore: cursor !== null,
    loadingMore,
    moreError,
    loadMore,
    reload,
    update: setItems,
  }
}

/** The first pages, walked until they hold at least `count` items or the list ends. */
async function loadPagesCovering<T>(
  loadPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  count: number,
  signal: AbortSignal,
): Promise<Page<T>> {
  let page = await loadPage(undefined, signal)
  const items = [...page.items]
  while (items.length < count && page.nextCursor !== null) {
    page = await loadPage(page.nextCursor, signal)
    items.push(...page.items)
  }
  return { ...page, items }
}
