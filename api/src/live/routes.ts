import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import { ticketFor } from '../tickets/commands.ts'
import { tickets } from '../tickets/policy.ts'
import { userName } from '../tickets/queries.ts'
import { ticketPresence } from './policy.ts'
import { markGone, markPresent, PresenceState, PresentOut, presentOn } from './presence.ts'
import { openEventStream } from './stream.ts'

/** Proxies drop a connection silent for 60 s; a comment line this often keeps it. */
export const HEARTBEAT_MS = 20_000

const EventId = z.string().regex(/^\d{1,15}$/, 'an event id from this stream')

export const streamEvents = route
  .get('/events')
  .operationId('streamEvents')
  .summary(
    'Live news of tickets the caller may read, as server-sent events (ids and kinds only)',
    'live',
  )
  .headers({ 'Last-Event-ID': EventId })
  .query(z.object({ lastEventId: EventId.optional() }))
  .auth()
  .response(
    200,
    undefined,
    'A stream of `ready`, `resync`, `ticket.created`, `ticket.changed`, `message.added` and (staff) `presence` events (docs/api.md, "Live updates")',
    'text/event-stream',
  )
  .response(503, undefined, 'This process holds as many streams as it may, or is shutting down')
  .handle(async ({ actor, headers, query, ctx, services, reauthenticate }) => {
    const admitted = services.streams.admits()
    if (admitted !== 'yes') {
      throw new HttpError(admitted === 'closing' ? 'shutting_down' : 'dependency_unavailable', {
        detail: 'no room for another event stream here; try again',
        headers: { 'Retry-After': '5' },
      })
    }
    const resumeFrom = headers['Last-Event-ID'] ?? query.lastEventId
    const body = await openEventStream({
      actor,
      lastEventId: resumeFrom === undefined ? undefined : Number(resumeFrom),
      bus: services.events,
      streams: services.streams,
      reauthenticate,
      heartbeatMs: HEARTBEAT_MS,
    })
    // Neither the server's request timeout nor a proxy's buffer may hold the stream back.
    ctx.req.socket.setTimeout(0)
    ctx.req.socket.setNoDelay(true)
    ctx.status = 200
    ctx.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    })
    ctx.body = body
  })

const TicketId = z.object({ id: z.uuid() })

const PresenceOut = z.object({
  others: z.array(PresentOut).describe('the other staff on the ticket now (never the caller)'),
  renewInMs: z
    .number()
    .int()
    .describe('announce again within this long, or the mark lapses and others see you leave'),
})

export const announcePresence = route
  .put('/tickets/:id/presence')
  .operationId('announcePresence')
  .summary(
    'Say that the caller (staff) is viewing or replying to the ticket, and learn who else is; lapses unless renewed',
    'live',
  )
  .params(TicketId)
  .auth(ticketPresence.announce.permission)
  .body(z.object({ state: PresenceState }))
  .response(200, PresenceOut)
  .handle(async ({ params, body, actor, em, services }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    const person = { userId: actor.userId, name: await userName(em, actor.userId) }
    await markPresent(services, ticket.id, person, body.state)
    return {
      others: await presentOn(ticket.id, actor, services),
      renewInMs: Math.floor(services.presence.ttlMs / 3),
    }
  })

export const leavePresence = route
  .delete('/tickets/:id/presence')
  .operationId('leavePresence')
  .summary('Say that the caller (staff) left the ticket: others stop seeing them at once', 'live')
  .params(TicketId)
  .auth(ticketPresence.announce.permission)
  .response(204)
  .handle(async ({ params, actor, em, services }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    await markGone(services, ticket.id, {
      userId: actor.userId,
      name: await userName(em, actor.userId),
    })
  })
