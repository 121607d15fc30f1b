// One client's server-sent event stream: what it missed (Last-Event-ID), then what the bus
// brings that this actor may hear, heartbeats between, and an end when the credential no
// longer stands, the client is too slow, or the server shuts down.
import { PassThrough } from 'node:stream'
import type { Actor } from '../http/actor.ts'
import type { BusEvent, BusSignal, EventBus } from '../platform/event-bus.ts'
import type { OpenStreams } from '../platform/open-streams.ts'
import { mayHear, mayHearPresence } from './audience.ts'
import { liveEventOf, TicketNews } from './news.ts'
import { PresenceNews } from './presence.ts'

export interface StreamInput {
  actor: Actor
  /** The id of the last event the client saw, when it resumes. */
  lastEventId: number | undefined
  bus: EventBus
  streams: OpenStreams
  /** The caller as their credential stands now (see HandlerInput.reauthenticate). */
  reauthenticate: () => Promise<Actor | undefined>
  heartbeatMs: number
}

/** A client this far behind is let go: it reconnects and resumes from its last id. */
const MAX_UNSENT_BYTES = 1024 * 1024
/** How long a browser waits before reconnecting (the SSE `retry` field). */
const RETRY_MS = 2_000

function frame(fields: { event?: string; id?: number; data?: unknown }): string {
  let text = ''
  if (fields.id !== undefined) text += `id: ${fields.id}\n`
  if (fields.event) text += `event: ${fields.event}\n`
  return `${text}data: ${JSON.stringify(fields.data ?? {})}\n\n`
}

/** The stream's body; resolves once the replay is written, live events follow. */
export async function openEventStream(input: StreamInput): Promise<PassThrough> {
  const { actor, bus } = input
  const out = new PassThrough()
  let cursor = 0
  let replaying: BusEvent[] | undefined = []
  let ended = false

  const write = (text: string, count = 0) => {
    if (ended) return
    out.write(text)
    if (count > 0) registered.sent(count)
    if (out.writableLength > MAX_UNSENT_BYTES) end()
  }
  const send = (event: BusEvent) => {
    if (event.id <= cursor) return
    cursor = event.id
    const news = TicketNews.safeParse(event.payload)
    if (!news.success || !mayHear(actor, news.data)) return
    write(frame({ id: event.id, event: news.data.kind, data: liveEventOf(news.data) }), 1)
  }
  /** Without an id: it moves no cursor, and a client that missed it learns it when it asks. */
  const sendPassing = (payload: unknown) => {
    const news = PresenceNews.safeParse(payload)
    if (!news.success || !mayHearPresence(actor, news.data)) return
    write(frame({ event: 'presence', data: news.data }), 1)
  }
  const end = () => {
    if (ended) return
    ended = true
    clearInterval(heartbeat)
    unsubscribe()
    registered.closed()
    out.end()
  }
  const recheck = checkingCredential(actor, input.reauthenticate, end)
  const registered = input.streams.open(end)
  const unsubscribe = bus.subscribe((signal: BusSignal) => {
    if (signal.type === 'event') {
      if (replaying) replaying.push(signal.event)
      else send(signal.event)
    } else if (signal.type === 'passing') {
      // Before `ready` the client listens to nothing yet; it asks who is present itself.
      if (!replaying) sendPassing(signal.payload)
    } else if (signal.type === 'gap') {
      write(frame({ event: 'resync' }), 1)
    } else {
      recheck()
    }
  })
  const heartbeat = setInterval(() => {
    write(': keep-alive\n\n')
    recheck()
  }, input.heartbeatMs)
  heartbeat.unref()
  out.on('close', end)

  try {
    const replay = await bus.replay(input.lastEventId)
    write(`retry: ${RETRY_MS}\n`)
    if (replay.events === null) {
      cursor = replay.latest
      write(frame({ id: cursor, event: 'resync' }), 1)
    } else {
      if (input.lastEventId === undefined) cursor = replay.latest
      else cursor = input.lastEventId
      write(frame({ id: cursor, event: 'ready' }))
      for (const event of replay.events) send(event)
    }
  } catch (error) {
    end()
    throw error
  }
  const held = replaying
  replaying = undefined
  for (const event of held) send(event)
  return out
}

/**
 * Asks whether the credential still stands and ends the stream when it does not (signed
 * out, revoked, disabled, another role). Signals that come while a check runs fold into one
 * more check after it.
 */
function checkingCredential(
  actor: Actor,
  reauthenticate: () => Promise<Actor | undefined>,
  end: () => void,
): () => void {
  let running = false
  let again = false
  const check = async (): Promise<void> => {
    running = true
    try {
      do {
        again = false
        const now = await reauthenticate().catch(() => undefined)
        if (!now || now.userId !== actor.userId || now.role !== actor.role) return end()
      } while (again)
    } finally {
      running = false
    }
  }
  return () => {
    if (running) again = true
    else void check()
  }
}
