// A ticket and its conversation, as both the agent and the customer page use them.
import { useCallback } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { Message, Ticket } from '../api/types.ts'
import { useLoad, usePaged } from '../hooks/data.ts'
import { useLiveRefresh } from '../hooks/live.tsx'

export function useTicket(id: string) {
  const ticket = useLoad(`ticket:${id}`, (signal) => tickets.get(id, signal))
  const messages = usePaged(`messages:${id}`, (cursor, signal) =>
    tickets.messages(id, cursor, signal),
  )
  const { update, reload: reloadTicket } = ticket
  const { update: updateMessages, reload: reloadMessages } = messages

  // Someone else replied or changed the ticket: show it in place, without a reload.
  useLiveRefresh(
    (news) => news.ticketId === id,
    (news) => {
      reloadTicket()
      if (news.kind !== 'ticket.changed') reloadMessages()
    },
  )

  /** A change the API confirmed. */
  const saved = useCallback((next: Ticket) => update(() => next), [update])

  const messageSent = useCallback(
    (message: Message) => {
      updateMessages((current) => [...current, message])
      // A reply can change the status and SLA due times on the server.
      reloadTicket()
    },
    [updateMessages, reloadTicket],
  )

  /** A message was refused because the ticket was closed: show it as it is now. */
  const closedMeanwhile = reloadTicket

  return { ticket, messages, saved, messageSent, closedMeanwhile }
}

/** The ticket's history, for agents; reload it after every change. */
export function useTicketHistory(id: string) {
  const history = usePaged(`events:${id}`, (cursor, signal) => tickets.events(id, cursor, signal))
  useLiveRefresh((news) => news.ticketId === id, history.reload)
  return history
}
