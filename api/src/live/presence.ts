// Who is on a ticket right now: the marks on the presence board (platform/presence.ts), and
// the passing news of a change that every process sends to its staff streams. A mark is
// renewed by the page while it is open and lapses by itself when the tab goes away.
import { z } from 'zod'
import type { Actor } from '../http/actor.ts'
import type { Services } from '../platform/services.ts'

export const PresenceState = z.enum(['viewing', 'replying'])
export type PresenceState = z.infer<typeof PresenceState>

/** One person on a ticket, as others see them. */
export const PresentOut = z.object({
  userId: z.uuid(),
  name: z.string(),
  state: PresenceState,
})
export type PresentOut = z.infer<typeof PresentOut>

/** The `data` of a `presence` stream event; `left` when they closed the page. */
export const PresenceNews = z.object({
  kind: z.literal('presence'),
  ticketId: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  state: z.enum([...PresenceState.options, 'left']),
})
export type PresenceNews = z.infer<typeof PresenceNews>

const topicOf = (ticketId: string) => `ticket:${ticketId}`

/** Marks the person on the ticket and tells every stream when that is news. */
export async function markPresent(
  services: Services,
  ticketId: string,
  person: { userId: string; name: string },
  state: PresenceState,
): Promise<void> {
  const changed = await services.presence.mark(topicOf(ticketId), person.userId, {
    name: person.name,
    state,
  })
  if (changed) await tell(services, { kind: 'presence', ticketId, ...person, state })
}

/** Takes the person off the ticket and tells every stream, when they were on it. */
export async function markGone(
  services: Services,
  ticketId: string,
  person: { userId: string; name: string },
): Promise<void> {
  const was = await services.presence.clear(topicOf(ticketId), person.userId)
  if (was) await tell(services, { kind: 'presence', ticketId, ...person, state: 'left' })
}

/** Everyone on the ticket now but `viewer`. */
export async function presentOn(ticketId: string, viewer: Actor, services: Services) {
  const entries = await services.presence.list(topicOf(ticketId))
  return entries.flatMap(({ member, data }): PresentOut[] => {
    if (member === viewer.userId) return []
    const present = PresentOut.omit({ userId: true }).safeParse(data)
    return present.success ? [{ userId: member, ...present.data }] : []
  })
}

/** Presence is a courtesy: a bus that fails is logged, the page renews soon anyway. */
async function tell(services: Services, news: PresenceNews): Promise<void> {
  await services.events.publishPassing(news).catch((error: unknown) => {
    services.logger.warn({ err: error }, 'presence news not published')
  })
}
