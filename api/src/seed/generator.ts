// Realistic demo tickets as plain rows: who asked, what about, how the conversation went and
// where each ticket stands now — with SLA due times from the same functions the API uses.
import { randomUUID } from 'node:crypto'
import {
  afterFirstResponse,
  afterStatusChange,
  dueTimes,
  newClock,
  type SlaClock,
  type SlaPolicyTable,
} from '../tickets/sla.ts'
import type { TicketPriority, TicketStatus } from '../tickets/vocabulary.ts'
import * as words from './vocabulary.ts'

/** A small, fast, seedable generator (mulberry32): the same seed gives the same data. */
export class Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }

  /** An outcome by weight: `{ a: 3, b: 1 }` gives a three times in four. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][]
    let roll = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0)
    for (const [key, weight] of entries) {
      roll -= weight
      if (roll < 0) return key
    }
    return (entries.at(-1) as [K, number])[0]
  }
}

export interface SeedPeople {
  customers: string[]
  agents: string[]
  /** Team ids by name (TEAMS). */
  teams: ReadonlyMap<string, string>
}

export interface TicketRowData {
  id: string
  subject: string
  status: TicketStatus
  priority: TicketPriority
  requesterId: string
  assigneeId: string | null
  teamId: string | null
  tags: string[]
  createdAt: Date
  updatedAt: Date
  clock: SlaClock
  firstResponseDueAt: Date | null
  resolutionDueAt: Date | null
  slaBreached: boolean
}

export interface MessageRowData {
  ticketId: string
  authorId: string
  body: string
  internal: boolean
  createdAt: Date
}

export interface GeneratedTicket {
  ticket: TicketRowData
  messages: MessageRowData[]
  /** What it is about: every message comes from this topic's lines. */
  topic: words.Topic
}

/** Where generated tickets sit in time. */
export interface Timeline {
  now: number
  /** How far back the oldest ticket goes. */
  historyDays: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** The share of tickets whose first answer came after the SLA's target. */
const LATE_FIRST_RESPONSES = 0.08

/** A ticket's slot values: the same order number, product and code throughout its conversation. */
function slotsFor(random: Random): Record<string, string> {
  return {
    product: random.pick(words.PRODUCTS),
    order: `ORD-${100000 + random.int(900000)}`,
    invoice: `INV-${2024 + random.int(3)}-${String(random.int(100000)).padStart(5, '0')}`,
    code: `E${1000 + random.int(9000)}`,
    version: `${1 + random.int(5)}.${random.int(20)}.${random.int(10)}`,
    count: String(2 + random.int(200)),
  }
}

export function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => slots[name] ?? slot)
}

/** Older tickets are mostly done; today's mostly wait for an answer. */
function statusFor(ageDays: number, random: Random): TicketStatus {
  if (ageDays > 7) {
    return random.weighted({ closed: 62, solved: 31, open: 2, pending: 3, on_hold: 2 })
  }
  if (ageDays > 1) {
    return random.weighted({ solved: 47, closed: 15, open: 15, pending: 18, on_hold: 2, new: 3 })
  }
  return random.weighted({ new: 25, open: 35, pending: 20, on_hold: 5, solved: 15 })
}

function tagsFor(topic: words.Topic, random: Random): string[] {
  const tags = topic.tags.slice(0, 1 + random.int(topic.tags.length))
  if (random.next() < 0.1) tags.push(random.pick(words.EXTRA_TAGS))
  return tags
}

/**
 * One ticket and its conversation. `position` (0 to 1) places it in time, oldest first, so
 * ticket numbers follow creation dates; a helpdesk gets busier, so recent times are denser.
 */
export function generateTicket(
  people: SeedPeople,
  policies: SlaPolicyTable,
  random: Random,
  { now, historyDays }: Timeline,
  position: number,
): GeneratedTicket {
  const ageDays = historyDays * (1 - position) ** 1.3
  const createdAt = new Date(now - ageDays * DAY)
  const status = statusFor(ageDays, random)
  const priority = random.weighted<TicketPriority>({ low: 20, normal: 55, high: 20, urgent: 5 })
  const topic = random.pick(words.TOPICS)
  const slots = slotsFor(random)
  const requesterId = random.pick(people.customers)
  const assigneeId = status !== 'new' || random.next() < 0.2 ? random.pick(people.agents) : null
  const id = randomUUID()
  const targets = policies[priority]
  const messages = conversation(
    { id, topic, status, slots, requesterId, agentId: assigneeId ?? random.pick(people.agents) },
    { createdAt, now, firstResponseMinutes: targets.firstResponseMinutes, random },
  )
  const updatedAt = (messages.at(-1) as MessageRowData).createdAt
  let clock = newClock(createdAt, 'new')
  const firstReply = messages.find(
    (message) => message.authorId !== requesterId && !message.internal,
  )
  if (firstReply) clock = afterFirstResponse(clock, firstReply.createdAt)
  clock = afterStatusChange(clock, 'new', status, updatedAt)
  const due = dueTimes(clock, status, targets)
  const respondedLate =
    firstReply !== undefined &&
    firstReply.createdAt.getTime() > createdAt.getTime() + targets.firstResponseMinutes * MINUTE
  const overdue = [due.firstResponseDueAt, due.resolutionDueAt].some(
    (dueAt) => dueAt !== null && dueAt.getTime() < now,
  )
  const triaged = status !== 'new' || random.next() < 0.5
  return {
    ticket: {
      id,
      subject: fill(random.pick(topic.subjects), slots),
      status,
      priority,
      requesterId,
      assigneeId,
      teamId: triaged ? (people.teams.get(topic.team) ?? null) : null,
      tags: tagsFor(topic, random),
      createdAt,
      updatedAt,
      clock,
      ...due,
      slaBreached: respondedLate || overdue,
    },
    messages,
    topic,
  }
}

interface Turn {
  by: 'requester' | 'agent'
  lines: readonly string[]
  internal?: boolean
}

/**
 * The turns after the requester's description, by where the ticket stands: an open ticket
 * waits for the agent, a pending one for the requester, one on hold for someone else, and a
 * solved or closed one ends with the fix (often followed by the requester's thanks).
 */
function turnsFor(topic: words.Topic, status: TicketStatus, random: Random): Turn[] {
  const question: Turn = { by: 'agent', lines: topic.question }
  const answer: Turn = { by: 'requester', lines: topic.answer }
  const fix: Turn = { by: 'agent', lines: topic.fix }
  const thanks: Turn = { by: 'requester', lines: topic.thanks }
  const asked = random.next() < 0.7 ? [question, answer] : []
  switch (status) {
    case 'new':
      return []
    case 'open':
      return [question, answer]
    case 'pending':
      return random.next() < 0.5 ? [question] : [question, answer, fix]
    case 'on_hold':
      return [
        question,
        answer,
        { by: 'agent', lines: topic.waiting },
        { by: 'agent', lines: topic.notes, internal: true },
      ]
    case 'solved':
      return [...asked, fix, ...(random.next() < 0.5 ? [thanks] : [])]
    case 'closed':
      return [...asked, fix, ...(random.next() < 0.8 ? [thanks] : [])]
  }
}

/** How long after the previous message a turn came; the first answer mostly within target. */
function delayOf(turn: Turn, isFirstAnswer: boolean, targetMinutes: number, random: Random) {
  if (turn.internal) return (1 + random.int(30)) * MINUTE
  if (turn.by === 'requester') return (0.5 + random.next() * 20) * HOUR
  const target = targetMinutes * MINUTE
  if (!isFirstAnswer) return Math.min(target, (0.2 + random.next() * 6) * HOUR)
  const late = random.next() < LATE_FIRST_RESPONSES
  return late ? target * (1.1 + random.next()) : target * (0.05 + 0.85 * random.next())
}

/** The requester's description, then the turns, spaced in time and never after `now`. */
function conversation(
  ticket: {
    id: string
    topic: words.Topic
    status: TicketStatus
    slots: Record<string, string>
    requesterId: string
    agentId: string
  },
  timing: { createdAt: Date; now: number; firstResponseMinutes: number; random: Random },
): MessageRowData[] {
  const { topic, slots } = ticket
  const { createdAt, now, firstResponseMinutes, random } = timing
  const leftOut = random.int(topic.description.length)
  const description = topic.description.filter((_, index) => index !== leftOut)
  const turns = turnsFor(topic, ticket.status, random)
  let elapsed = 0
  const offsets = turns.map((turn, index) => {
    elapsed += delayOf(turn, index === 0, firstResponseMinutes, random)
    return elapsed
  })
  // A young ticket's conversation is squeezed into the time it has had.
  const room = (now - createdAt.getTime()) * 0.98
  const squeeze = elapsed > room ? room / elapsed : 1
  const message = (by: Turn['by'], body: string, internal: boolean, offset: number) => ({
    ticketId: ticket.id,
    authorId: by === 'agent' ? ticket.agentId : ticket.requesterId,
    body: fill(body, slots),
    internal,
    createdAt: new Date(createdAt.getTime() + offset * squeeze),
  })
  return [
    message('requester', description.join(' '), false, 0),
    ...turns.map((turn, index) =>
      message(turn.by, random.pick(turn.lines), turn.internal ?? false, offsets[index] as number),
    ),
  ]
}

export function personName(random: Random): string {
  return `${random.pick(words.FIRST_NAMES)} ${random.pick(words.LAST_NAMES)}`
}
