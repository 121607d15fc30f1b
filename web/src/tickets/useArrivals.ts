// What someone else added to the ticket while this person was writing: the live stream's
// message.added news since the draft began (or since they last acknowledged it), and the
// conversation's copy of each message to show who wrote what.
import { useEffect, useState } from 'react'
import type { Message } from '../api/types.ts'
import { useLiveNews } from '../hooks/live.tsx'

/** A message that arrived; `message` is absent while the conversation has not loaded it yet. */
export interface Arrival {
  id: string
  message?: Message
}

export function useArrivals(ticketId: string, watching: boolean) {
  const [ids, setIds] = useState<readonly string[]>([])
  useEffect(() => {
    if (!watching) setIds([])
  }, [watching])
  useLiveNews((news) => {
    if (!watching || news.kind !== 'message.added' || news.ticketId !== ticketId) return
    const { messageId } = news
    setIds((current) => (current.includes(messageId) ? current : [...current, messageId]))
  })
  return {
    ids,
    /** These were seen: warn only of what comes after them. */
    acknowledge: (seen: readonly string[]) =>
      setIds((current) => current.filter((id) => !seen.includes(id))),
  }
}

/** The arrivals that are someone else's (the writer's own, from another tab, are not news). */
export function othersArrivals(
  ids: readonly string[],
  conversation: readonly Message[],
  writerId: string,
): Arrival[] {
  return ids.flatMap((id): Arrival[] => {
    const message = conversation.find((candidate) => candidate.id === id)
    if (message?.author.id === writerId) return []
    return [message ? { id, message } : { id }]
  })
}
