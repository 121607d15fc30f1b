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
  teams: string[]
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
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Tickets are spread over the last two years, more of them recent. */
const HISTORY_DAYS = 730

export function fill(template: string, random: Random): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'product':
        return random.pick(words.PRODUCTS)
      case 'order':
        return `ORD-${100000 + random.int(900000)}`
      case 'invoice':
        return `INV-${2024 + random.int(3)}-${String(random.int(100000)).padStart(5, '0')}`
      case 'code':
        return `E${1000 + random.int(9000)}`
      case 'version':
        return `${1 + random.int(5)}.${random.int(20)}.${random.int(10)}`
      default:
        return String(2 + random.int(200))
    }
  })
}

function statusFor(ageDays: number, random: Random): TicketStatus {
  if (ageDays > 30)
    return random.weighted({ closed: 70, solved: 24, open: 3, pending: 2, on_hold: 1 })
  if (ageDays > 3) {
    return random.weighted({ solved: 35, closed: 15, open: 25, pending: 12, on_hold: 5, new: 8 })
  }
  return random.weighted({ new: 35, open: 35, pending: 15, on_hold: 5, solved: 10 })
}

function tagsFor(random: Random): string[] {
  const count = random.weighted({ 0: 25, 1: 40, 2: 25, 3: 10 })
  return [...new Set(Array.from({ length: Number(count) }, () => random.pick(words.TAGS)))]
}

/**
 * One ticket and its conversation. `position` (0 to 1) places it in time, oldest first, so
 * ticket numbers follow creation dates; a helpdesk gets busier, so recent times are denser.
 */
export function generateTicket(
  people: SeedPeople,
  policies: SlaPolicyTable,
  random: Random,
  now: number,
  position: number,
): GeneratedTicket {
  const ageDays = HISTORY_DAYS * (1 - position) ** 1.3
  const createdAt = new Date(now - ageDays * DAY)
  const status = statusFor(ageDays, random)
  const priority = random.weighted<TicketPriority>({ low: 20, normal: 55, high: 20, urgent: 5 })
  const requesterId = random.pick(people.customers)
  const assigneeId = status !== 'new' || random.next() < 0.2 ? random.pick(people.agents) : null
  const id = randomUUID()
  const messages = conversation(id, status, requesterId, assigneeId ?? random.pick(people.agents), {
    createdAt,
    now,
    random,
  })
  const updatedAt = (messages.at(-1) as MessageRowData).createdAt
  let clock = newClock(createdAt, 'new')
  const firstReply = messages.find(
    (message) => message.authorId !== requesterId && !message.internal,
  )
  if (firstReply) clock = afterFirstResponse(clock, firstReply.createdAt)
  clock = afterStatusChange(clock, 'new', status, updatedAt)
  const targets = policies[priority]
  const due = dueTimes(clock, status, targets)
  const respondedLate =
    firstReply !== undefined &&
    firstReply.createdAt.getTime() > createdAt.getTime() + targets.firstResponseMinutes * 60_000
  const overdue = [due.firstResponseDueAt, due.resolutionDueAt].some(
    (dueAt) => dueAt !== null && dueAt.getTime() < now,
  )
  return {
    ticket: {
      id,
      subject: fill(random.pick(words.SUBJECTS), random),
      status,
      priority,
      requesterId,
      assigneeId,
      teamId: random.next() < 0.8 ? random.pick(people.teams) : null,
      tags: tagsFor(random),
      createdAt,
      updatedAt,
      clock,
      ...due,
      slaBreached: respondedLate || overdue,
    },
    messages,
  }
}

/** The requester's description, then replies back and forth, now and then an internal note. */
function conversation(
  ticketId: string,
  status: TicketStatus,
  requesterId: string,
  agentId: string,
  { createdAt, now, random }: { createdAt: Date; now: number; random: Random },
): MessageRowData[] {
  const description = [
    random.pick(words.OPENINGS),
    random.pick(words.DETAILS),
    random.pick(words.DETAILS),
  ]
  const messages: MessageRowData[] = [
    {
      ticketId,
      authorId: requesterId,
      body: fill(description.join(' '), random),
      internal: false,
      createdAt,
    },
  ]
  const replies = status === 'new' ? 0 : 1 + random.int(4)
  let at = createdAt.getTime()
  for (let index = 0; index < replies; index++) {
    at = Math.min(now, at + (0.2 + random.next() * 30) * HOUR)
    const fromAgent = index % 2 === 0
    const internal = fromAgent && random.next() < 0.1
    const template = internal
      ? random.pick(words.INTERNAL_NOTES)
      : random.pick(fromAgent ? words.AGENT_REPLIES : words.CUSTOMER_REPLIES)
    messages.push({
      ticketId,
      authorId: fromAgent ? agentId : requesterId,
      body: fill(template, random),
      internal,
      createdAt: new Date(at),
    })
  }
  return messages
}

export function personName(random: Random): string {
  return `${random.pick(words.FIRST_NAMES)} ${random.pick(words.LAST_NAMES)}`
}
