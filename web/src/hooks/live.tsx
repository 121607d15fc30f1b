// Live updates: one EventSource per tab on GET /api/v1/events (same origin, so the CSP's
// connect-src 'self' covers it and the session cookie authenticates it). Pages subscribe to
// the news they show and refetch it; the API sends ids and kinds only, never content.
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react'
import type { PresentPerson } from '../api/types.ts'

/** Staff only: someone else opened, writes on or left a ticket (no id: it is never replayed). */
export interface PresenceNews {
  kind: 'presence'
  ticketId: string
  userId: string
  name: string
  state: PresentPerson['state'] | 'left'
}

export type LiveNews =
  | { kind: 'ticket.created' | 'ticket.changed'; ticketId: string }
  | { kind: 'message.added'; ticketId: string; messageId: string }
  | PresenceNews
  /** Some news may have been missed (too long away, a server restart): refetch everything. */
  | { kind: 'resync' }

/** News of a committed change to one ticket. */
export type TicketNews = Exclude<LiveNews, { kind: 'resync' } | PresenceNews>

type Listener = (news: LiveNews) => void

interface LiveUpdates {
  subscribe(listener: Listener): () => void
}

const LiveContext = createContext<LiveUpdates | null>(null)

const KINDS = ['ticket.created', 'ticket.changed', 'message.added', 'presence'] as const
/** A stream the server refused or ended for good (shutdown, cap) is opened again this late. */
const REOPEN_MS = 5_000

/**
 * Keeps the tab's one stream open while someone is signed in and `enabled` (not while the
 * session-ended dialog is up: the stream would only be refused). Reopened, it resumes from
 * the last event it saw.
 */
export function LiveUpdatesProvider({
  enabled,
  children,
}: {
  enabled: boolean
  children: ReactNode
}) {
  const [live] = useState(() => {
    const listeners = new Set<Listener>()
    return {
      listeners,
      lastEventId: '',
      subscribe(listener: Listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }
  })

  useEffect(() => {
    if (!enabled) return
    const tell = (news: LiveNews) => {
      for (const listener of live.listeners) listener(news)
    }
    let source: EventSource | undefined
    let dropped = false
    let reopen: ReturnType<typeof setTimeout> | undefined
    const open = () => {
      const resume = live.lastEventId ? `?lastEventId=${encodeURIComponent(live.lastEventId)}` : ''
      const current = new EventSource(`/api/v1/events${resume}`)
      source = current
      const remember = (event: MessageEvent) => {
        if (event.lastEventId) live.lastEventId = event.lastEventId
      }
      current.addEventListener('ready', (event) => {
        const resumed = live.lastEventId !== ''
        remember(event)
        // Back after a drop, with no id to resume from: what happened meanwhile is unknown.
        if (dropped && !resumed) tell({ kind: 'resync' })
        dropped = false
      })
      current.addEventListener('resync', (event) => {
        remember(event)
        tell({ kind: 'resync' })
      })
      for (const kind of KINDS) {
        current.addEventListener(kind, (event) => {
          remember(event)
          tell(JSON.parse(event.data) as LiveNews)
        })
      }
      current.onerror = () => {
        dropped = true
        // EventSource reconnects by itself (with Last-Event-ID) unless the answer was an
        // error status; then it is closed, and a fresh one resumes from the last id seen.
        if (current.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS)
      }
    }
    open()
    return () => {
      clearTimeout(reopen)
      source?.close()
    }
  }, [live, enabled])

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>
}

/**
 * Calls `refresh` after news that `concerns` (and after every resync), at most once per
 * `delayMs`: a burst of news — a bulk change, a catch-up after sleep — is one refetch.
 */
export function useLiveRefresh(
  concerns: (news: TicketNews) => boolean,
  refresh: (news: LiveNews) => void,
  delayMs = 300,
): void {
  const live = useContext(LiveContext)
  const latest = useRef({ concerns, refresh })
  latest.current = { concerns, refresh }
  useEffect(() => {
    if (!live) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let pending: LiveNews | undefined
    const unsubscribe = live.subscribe((news) => {
      if (news.kind === 'presence') return
      if (news.kind !== 'resync' && !latest.current.concerns(news)) return
      pending = news
      timer ??= setTimeout(() => {
        timer = undefined
        if (pending) latest.current.refresh(pending)
      }, delayMs)
    })
    return () => {
      unsubscribe()
      clearTimeout(timer)
    }
  }, [live, delayMs])
}

/** Hears every piece of news as it comes, undebounced (presence, what arrived while writing). */
export function useLiveNews(listener: (news: LiveNews) => void): void {
  const live = useContext(LiveContext)
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => live?.subscribe((news) => latest.current(news)), [live])
}
