// A ticket with its conversation and history, as both the agent and the customer page use it.
import { useCallback } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { Message, Ticket } from '../api/types.ts'
import { useLoad, usePaged } from '../app/data.ts'

export function useTicket(id: string, withHistory: boolean) {
  const ticket = useLoad(`ticket:${id}`, (signal) => tickets.get(id, signal))
  const messages = usePaged(`messages:${id}`, (cursor, signal) =>
    tickets.messages(id, cursor, signal),
  )
  const events = usePaged(withHistory ? `events:${id}` : '', (cursor, signal) =>
    withHistory
      ? tickets.events(id, cursor, signal)
      : Promise.resolve({ items: [], nextCursor: null }),
  )
  const { update, reload: reloadTicket } = ticket
  const { update: updateMessages } = messages
  const { reload: reloadEvents } = events

  /** A change the API confirmed: show it, and what it did to the history. */
  const saved = useCallback(
    (next: Ticket) => {
      update(() => next)
      reloadEvents()
    },
    [update, reloadEvents],
  )

  const messageSent = useCallback(
    (message: Message) => {
      updateMessages((current) => [...current, message])
      // A reply can change status and SLA due times on the server.
      reloadTicket()
      reloadEvents()
    },
    [updateMessages, reloadTicket, reloadEvents],
  )

  return { ticket, messages, events, saved, messageSent }
}
