// Who is at what right now (an agent on a ticket page): entries that lapse by themselves unless
// renewed, so a tab that closes, crashes or loses its network leaves no one "viewing" forever.
// Redis in production, where every API process sees the same board; memory in embedded mode.
// Expiry is judged by this process's clock at the time of each call, so tests can move it on.
import type { Redis } from 'ioredis'

export interface PresenceEntry {
  member: string
  data: unknown
}

export interface PresenceBoard {
  /** How long a mark holds without being renewed. */
  readonly ttlMs: number
  /** Marks `member` present at `topic` with `data`; true when it is new or `data` changed. */
  mark(topic: string, member: string, data: object): Promise<boolean>
  /** Takes `member` off `topic`; true when they were on it. */
  clear(topic: string, member: string): Promise<boolean>
  /** Who is present at `topic` now. */
  list(topic: string): Promise<PresenceEntry[]>
}

/** A mark lasts this long unless renewed: clients renew at a third of it. */
export const DEFAULT_PRESENCE_TTL_MS = 30_000

export interface PresenceOptions {
  ttlMs?: number
  /** The clock expiry is judged by. @default Date.now */
  now?: () => number
}

interface Stored {
  expiresAt: number
  data: string
}

/** `<expiresAt> <json>`: one string per member, as both boards keep it. */
function encode(stored: Stored): string {
  return `${stored.expiresAt} ${stored.data}`
}

function decode(member: string, value: string): (Stored & { member: string }) | undefined {
  const space = value.indexOf(' ')
  const expiresAt = Number(value.slice(0, space))
  if (space < 1 || !Number.isSafeInteger(expiresAt)) return undefined
  return { member, expiresAt, data: value.slice(space + 1) }
}

function parsed(entry: { member: string; data: string }): PresenceEntry[] {
  try {
    return [{ member: entry.member, data: JSON.parse(entry.data) }]
  } catch {
    return []
  }
}

/** Embedded mode: one process, so a map of maps, swept of lapsed marks as it is written. */
export class MemoryPresenceBoard implements PresenceBoard {
  readonly ttlMs: number
  readonly #now: () => number
  readonly #topics = new Map<string, Map<string, Stored>>()

  constructor(options: PresenceOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS
    this.#now = options.now ?? Date.now
  }

  async mark(topic: string, member: string, data: object): Promise<boolean> {
    const now = this.#now()
    this.#sweep(now)
    const members = this.#topics.get(topic) ?? new Map<string, Stored>()
    this.#topics.set(topic, members)
    const json = JSON.stringify(data)
    const before = members.get(member)
    members.set(member, { expiresAt: now + this.ttlMs, data: json })
    return before === undefined || before.data !== json
  }

  async clear(topic: string, member: string): Promise<boolean> {
    const members = this.#topics.get(topic)
    const was = members?.delete(member) ?? false
    if (members?.size === 0) this.#topics.delete(topic)
    return was
  }

  async list(topic: string): Promise<PresenceEntry[]> {
    const now = this.#now()
    const members = [...(this.#topics.get(topic) ?? [])]
    return members
      .filter(([, stored]) => stored.expiresAt > now)
      .flatMap(([member, stored]) => parsed({ member, data: stored.data }))
  }

  #sweep(now: number): void {
    for (const [topic, members] of this.#topics) {
      for (const [member, stored] of members) {
        if (stored.expiresAt <= now) members.delete(member)
      }
      if (members.size === 0) this.#topics.delete(topic)
    }
  }
}

/**
 * Writes the mark and says whether it changed, in one step, so two processes renewing the
 * same member agree on who announces the change. The hash as a whole lapses one TTL after
 * its last write: a topic everyone left quietly costs nothing for long.
 */
const MARK = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local changed = 1
if old then
  local space = string.find(old, ' ', 1, true)
  if space and tonumber(string.sub(old, 1, space - 1)) > tonumber(ARGV[3])
    and string.sub(old, space + 1) == ARGV[4] then
    changed = 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return changed`

interface MarkingRedis extends Redis {
  markPresence(
    key: string,
    member: string,
    value: string,
    now: number,
    data: string,
    ttlMs: number,
  ): Promise<number>
}

/** Every API process reads and writes the same hashes: `presence:<topic>`, member → mark. */
export class RedisPresenceBoard implements PresenceBoard {
  readonly ttlMs: number
  readonly #now: () => number
  readonly #redis: MarkingRedis

  constructor(redis: Redis, options: PresenceOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS
    this.#now = options.now ?? Date.now
    if (!('markPresence' in redis)) {
      redis.defineCommand('markPresence', { numberOfKeys: 1, lua: MARK })
    }
    this.#redis = redis as MarkingRedis
  }

  async mark(topic: string, member: string, data: object): Promise<boolean> {
    const now = this.#now()
    const json = JSON.stringify(data)
    const value = encode({ expiresAt: now + this.ttlMs, data: json })
    const changed = await this.#redis.markPresence(
      `presence:${topic}`,
      member,
      value,
      now,
      json,
      this.ttlMs,
    )
    return changed === 1
  }

  async clear(topic: string, member: string): Promise<boolean> {
    return (await this.#redis.hdel(`presence:${topic}`, member)) === 1
  }

  async list(topic: string): Promise<PresenceEntry[]> {
    const now = this.#now()
    const all = await this.#redis.hgetall(`presence:${topic}`)
    // Lapsed marks stay until the hash itself lapses: deleting them here could race a renewal.
    return Object.entries(all)
      .flatMap(([member, value]) => decode(member, value) ?? [])
      .filter((entry) => entry.expiresAt > now)
      .flatMap(parsed)
  }
}
