// The bus that carries news of committed writes to every API process's open event streams
// (src/live/). Each event gets an id that every process agrees on, and the latest events stay
// in a bounded buffer, so a client that reconnects to any replica resumes where it stopped.
// Redis in production (PUBLISH, a counter and a list, one script); memory in embedded mode.
import type { Redis } from 'ioredis'
import type { Logger } from '../observability/logger.ts'
import { revocationChannel } from '../sessions/redis-store.ts'

/** A payload with the id the bus gave it: ids grow by one per event, across all processes. */
export interface BusEvent {
  id: number
  payload: unknown
}

/**
 * What a subscriber hears. `gap`: events may have been missed (the subscription dropped).
 * `passing`: news that is true only for a moment (who is viewing a ticket): no id, never
 * kept, not replayed.
 */
export type BusSignal =
  | { type: 'event'; event: BusEvent }
  | { type: 'passing'; payload: unknown }
  | { type: 'gap' }
  | { type: 'sessions-changed' }

export interface Replay {
  /** The newest id given out so far (0 before the first event). */
  latest: number
  /** Events after the asked id, oldest first; null when some of them are no longer held. */
  events: BusEvent[] | null
}

export interface EventBus {
  publish(payloads: readonly object[]): Promise<void>
  /** Sends news to every process's subscribers now, without an id and without keeping it. */
  publishPassing(payload: object): Promise<void>
  subscribe(listener: (signal: BusSignal) => void): () => void
  /** The held events after `afterId` (none asked: only `latest`). */
  replay(afterId?: number): Promise<Replay>
  /** Sessions ended or actors changed in this process (the memory session store's news). */
  sessionsChanged(): void
  close(): void
}

/** How many recent events are kept for clients that reconnect. */
export const REPLAY_EVENTS = 1_000

class Listeners {
  readonly #all = new Set<(signal: BusSignal) => void>()

  add(listener: (signal: BusSignal) => void): () => void {
    this.#all.add(listener)
    return () => this.#all.delete(listener)
  }

  emit(signal: BusSignal): void {
    for (const listener of this.#all) listener(signal)
  }
}

function replayOf(held: readonly BusEvent[], latest: number, afterId?: number): Replay {
  if (afterId === undefined || afterId === latest) return { latest, events: [] }
  const oldest = held[0]?.id ?? latest + 1
  // An id from the future (the counter was reset) is as unknown as one too old.
  if (afterId > latest || afterId + 1 < oldest) return { latest, events: null }
  return { latest, events: held.filter((event) => event.id > afterId) }
}

/** Embedded mode: one process, so the bus is a list of listeners and an array. */
export class MemoryEventBus implements EventBus {
  readonly #listeners = new Listeners()
  readonly #held: BusEvent[] = []
  readonly #size: number
  #latest = 0

  constructor(size = REPLAY_EVENTS) {
    this.#size = size
  }

  async publish(payloads: readonly object[]): Promise<void> {
    for (const payload of payloads) {
      const event = { id: ++this.#latest, payload: structuredClone(payload) }
      this.#held.push(event)
      if (this.#held.length > this.#size) this.#held.shift()
      this.#listeners.emit({ type: 'event', event })
    }
  }

  async publishPassing(payload: object): Promise<void> {
    this.#listeners.emit({ type: 'passing', payload: structuredClone(payload) })
  }

  subscribe(listener: (signal: BusSignal) => void): () => void {
    return this.#listeners.add(listener)
  }

  async replay(afterId?: number): Promise<Replay> {
    return replayOf(this.#held, this.#latest, afterId)
  }

  sessionsChanged(): void {
    this.#listeners.emit({ type: 'sessions-changed' })
  }

  close(): void {}
}

/**
 * Numbers the event, keeps it in the capped list and publishes it, in one atomic step: the
 * order of ids, of the list and of the messages is one order.
 */
const PUBLISH = `
local id = redis.call('INCR', KEYS[1])
local message = id .. ' ' .. ARGV[1]
redis.call('RPUSH', KEYS[2], message)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PUBLISH', ARGV[2], message)
return id`

interface PublishingRedis extends Redis {
  publishLiveEvent(
    seq: string,
    held: string,
    payload: string,
    channel: string,
    size: number,
  ): Promise<number>
}

function parseMessage(message: string): BusEvent | undefined {
  const space = message.indexOf(' ')
  const id = Number(message.slice(0, space))
  if (space < 1 || !Number.isSafeInteger(id)) return undefined
  try {
    return { id, payload: JSON.parse(message.slice(space + 1)) }
  } catch {
    return undefined
  }
}

/**
 * Every API process publishes on the same Redis channel and hears every event on a connection
 * of its own (a subscribed connection can do nothing else); the same connection hears the
 * session store's revocations (sessions/redis-store.ts), so a stream ends with its session.
 * While that connection is down events are missed: subscribers get a `gap` when it is back.
 */
export class RedisEventBus implements EventBus {
  readonly #redis: PublishingRedis
  readonly #subscriber: Redis
  readonly #listeners = new Listeners()
  readonly #channel: string
  readonly #passingChannel: string
  readonly #revocations: string
  readonly #size: number

  constructor(redis: Redis, logger: Logger, size = REPLAY_EVENTS) {
    const prefix = redis.options.keyPrefix ?? ''
    this.#channel = `${prefix}live-events`
    this.#passingChannel = `${prefix}live-passing`
    this.#revocations = revocationChannel(redis)
    this.#size = size
    if (!('publishLiveEvent' in redis)) {
      redis.defineCommand('publishLiveEvent', { numberOfKeys: 2, lua: PUBLISH })
    }
    this.#redis = redis as PublishingRedis
    this.#subscriber = redis.duplicate({ autoResubscribe: false, enableOfflineQueue: true })
    this.#subscriber.on('message', (from: string, message: string) => {
      if (from === this.#revocations) return this.#listeners.emit({ type: 'sessions-changed' })
      if (from === this.#passingChannel) return this.#emitPassing(message)
      const event = from === this.#channel ? parseMessage(message) : undefined
      if (event) this.#listeners.emit({ type: 'event', event })
    })
    let subscribedBefore = false
    this.#subscriber.on('ready', () => {
      this.#subscriber.subscribe(this.#channel, this.#passingChannel, this.#revocations).then(
        () => {
          if (subscribedBefore) this.#listeners.emit({ type: 'gap' })
          subscribedBefore = true
        },
        (error: Error) => logger.warn({ err: error }, 'live event subscription failed'),
      )
    })
    // The main connection logs Redis errors; this one must only not crash the process.
    this.#subscriber.on('error', () => {})
    this.#subscriber.connect().catch(() => {})
  }

  async publish(payloads: readonly object[]): Promise<void> {
    for (const payload of payloads) {
      await this.#redis.publishLiveEvent(
        'live:seq',
        'live:recent',
        JSON.stringify(payload),
        this.#channel,
        this.#size,
      )
    }
  }

  async publishPassing(payload: object): Promise<void> {
    await this.#redis.publish(this.#passingChannel, JSON.stringify(payload))
  }

  #emitPassing(message: string): void {
    try {
      this.#listeners.emit({ type: 'passing', payload: JSON.parse(message) })
    } catch {
      // Not ours: every process writes JSON on this channel.
    }
  }

  subscribe(listener: (signal: BusSignal) => void): () => void {
    return this.#listeners.add(listener)
  }

  async replay(afterId?: number): Promise<Replay> {
    const results = await this.#redis.multi().get('live:seq').lrange('live:recent', 0, -1).exec()
    if (!results) throw new Error('Redis transaction was aborted')
    const [[seqError, seq], [heldError, held]] = results as [
      [Error | null, string | null],
      [Error | null, string[]],
    ]
    if (seqError || heldError) throw seqError ?? heldError
    const events = held.flatMap((message) => parseMessage(message) ?? [])
    return replayOf(events, Number(seq ?? 0), afterId)
  }

  /** Redis mode hears revocations on its subscription, from this process too. */
  sessionsChanged(): void {}

  close(): void {
    this.#subscriber.disconnect()
  }
}
