// Staff on the same ticket see each other: this page announces that its reader is viewing or
// replying, renews that before it lapses, says goodbye when it closes, and keeps the list of
// the others from the answers and the live stream's presence news. A tab that vanishes
// without a goodbye lapses on the server; the others' next renewal answers without it.
import { useEffect, useRef, useState } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { PresenceState, PresentPerson } from '../api/types.ts'
import { useLiveNews } from '../hooks/live.tsx'
import { messages as m } from '../i18n/messages.ts'

/** Until the server has said how often to renew (and after a failure), this often. */
const FALLBACK_RENEW_MS = 10_000

/**
 * The last goodbye sent: the page opened again on the same ticket (StrictMode, a quick way
 * back) announces only after it, so the goodbye cannot land last and hide the reader.
 */
let leaving: Promise<unknown> = Promise.resolve()

export function usePresence(ticketId: string, state: PresenceState): PresentPerson[] {
  const [others, setOthers] = useState<PresentPerson[]>([])
  const announceNow = useRef<() => void>(() => {})
  const stateRef = useRef(state)
  stateRef.current = state
  const announced = useRef(state)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let gone = false
    let current: PresenceState | undefined
    /** Only the latest announcement's answer counts, and schedules the next renewal. */
    let round = 0
    const announce = () => {
      const mine = ++round
      const next = stateRef.current
      current = next
      clearTimeout(timer)
      leaving
        .then(() => tickets.announcePresence(ticketId, next))
        .then(
          (answer) => {
            if (gone || mine !== round) return
            setOthers(answer.others)
            timer = setTimeout(announce, answer.renewInMs)
          },
          () => {
            if (!gone && mine === round) timer = setTimeout(announce, FALLBACK_RENEW_MS)
          },
        )
    }
    announceNow.current = announce
    const leave = () => {
      if (current !== undefined) leaving = tickets.leavePresence(ticketId).catch(() => {})
      current = undefined
    }
    // Back from another tab's page or the browser's back-forward cache: here again.
    const show = () => {
      if (current === undefined) announce()
    }
    announce()
    window.addEventListener('pagehide', leave)
    window.addEventListener('pageshow', show)
    return () => {
      gone = true
      clearTimeout(timer)
      window.removeEventListener('pagehide', leave)
      window.removeEventListener('pageshow', show)
      leave()
      setOthers([])
    }
  }, [ticketId])

  useEffect(() => {
    if (announced.current === state) return
    announced.current = state
    announceNow.current()
  }, [state])

  useLiveNews((news) => {
    // After a resync some news may be lost: ask again who is here.
    if (news.kind === 'resync') return announceNow.current()
    if (news.kind !== 'presence' || news.ticketId !== ticketId) return
    setOthers((people) => {
      const rest = people.filter((person) => person.userId !== news.userId)
      if (news.state === 'left') return rest
      return [...rest, { userId: news.userId, name: news.name, state: news.state }]
    })
  })

  return others
}

/** "Ada is replying", "Ada and Bob are viewing": replying first, it matters most. */
export function presenceSentences(others: readonly PresentPerson[]): string[] {
  const sentences: string[] = []
  for (const state of ['replying', 'viewing'] as const) {
    const names = others.filter((person) => person.state === state).map((person) => person.name)
    if (names.length === 0) continue
    sentences.push(
      m.presence[state]({ who: m.common.andList({ items: names }), count: names.length }),
    )
  }
  return sentences
}
