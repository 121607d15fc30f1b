// Generated demo tickets read like a helpdesk's: each conversation stays on its subject's topic,
// is shaped by where the ticket stands (a solved one ends with the fix), happens in order and
// in the past, and about one ticket in seven has missed its SLA.
import { describe, expect, it } from '@jest/globals'
import { type GeneratedTicket, generateTicket, Random } from '../../src/seed/generator.ts'
import { TEAMS, type Topic } from '../../src/seed/vocabulary.ts'
import type { SlaPolicyTable } from '../../src/tickets/sla.ts'

// The targets the first migration installs.
const POLICIES: SlaPolicyTable = {
  urgent: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  high: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
  normal: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
  low: { firstResponseMinutes: 1440, resolutionMinutes: 5760 },
}
const PEOPLE = {
  customers: ['c1', 'c2', 'c3'],
  agents: ['a1', 'a2'],
  teams: new Map(TEAMS.map((name) => [name, `team:${name}`])),
}
const NOW = Date.parse('2026-12-07T12:00:00Z')
const DAY = 86_400_000

function generate(count: number, historyDays: number): GeneratedTicket[] {
  const random = new Random(42)
  return Array.from({ length: count }, (_, index) =>
    generateTicket(PEOPLE, POLICIES, random, { now: NOW, historyDays }, (index + 0.5) / count),
  )
}

/** A template as a pattern: each slot matches any filled-in value. */
const pattern = (template: string) =>
  new RegExp(
    `^${template
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  )
const fromLines = (lines: readonly string[], text: string) =>
  lines.some((line) => pattern(line).test(text))

const publicOf = (generated: GeneratedTicket) =>
  generated.messages.filter((message) => !message.internal)
const byAgent = (generated: GeneratedTicket, index: number) =>
  publicOf(generated).at(index)?.authorId !== generated.ticket.requesterId

describe('generated demo tickets', () => {
  const tickets = generate(2_000, 45)

  it('stay on their topic: subject, description, answers and notes', () => {
    for (const { ticket, messages, topic } of tickets) {
      expect(fromLines(topic.subjects, ticket.subject)).toBe(true)
      const lines: readonly string[] = [
        ...topic.question,
        ...topic.answer,
        ...topic.fix,
        ...topic.thanks,
        ...topic.waiting,
        ...topic.notes,
      ]
      for (const message of messages.slice(1)) {
        expect({
          subject: ticket.subject,
          body: message.body,
          on: fromLines(lines, message.body),
        }).toEqual({ subject: ticket.subject, body: message.body, on: true })
      }
      expect(ticket.teamId === null || ticket.teamId === `team:${topic.team}`).toBe(true)
      expect(ticket.tags).toContain(topic.tags[0])
    }
  })

  it('fill a slot with one value throughout a conversation', () => {
    const orders = (generated: GeneratedTicket) =>
      new Set(
        [generated.ticket.subject, ...generated.messages.map((message) => message.body)].flatMap(
          (text) => text.match(/ORD-\d+/g) ?? [],
        ),
      )
    const withOrders = tickets.filter((generated) => orders(generated).size > 0)
    expect(withOrders.length).toBeGreaterThan(50)
    for (const generated of withOrders) expect(orders(generated).size).toBe(1)
  })

  it('end where their status says: waiting on the agent, the requester, or done with the fix', () => {
    const fixes = (topic: Topic, text: string | undefined) => fromLines(topic.fix, text ?? '')
    for (const generated of tickets) {
      const { ticket, topic } = generated
      const shown = publicOf(generated)
      const last = shown.at(-1)?.body
      switch (ticket.status) {
        case 'new':
          expect(generated.messages).toHaveLength(1)
          break
        case 'open':
          expect(byAgent(generated, -1)).toBe(false)
          break
        case 'pending':
          expect(byAgent(generated, -1)).toBe(true)
          break
        case 'on_hold':
          expect(fromLines(topic.waiting, last ?? '')).toBe(true)
          break
        case 'solved':
        case 'closed':
          // The fix, or the requester's thanks right after it.
          expect(fixes(topic, last) || fixes(topic, shown.at(-2)?.body)).toBe(true)
          expect(fixes(topic, last) || fromLines(topic.thanks, last ?? '')).toBe(true)
      }
    }
    const statuses = new Set(tickets.map((generated) => generated.ticket.status))
    expect([...statuses].sort()).toEqual(['closed', 'new', 'on_hold', 'open', 'pending', 'solved'])
  })

  it('happen in order, in the past, within the history asked for', () => {
    for (const { ticket, messages } of tickets) {
      expect(ticket.createdAt.getTime()).toBeGreaterThanOrEqual(NOW - 45 * DAY)
      const times = messages.map((message) => message.createdAt.getTime())
      expect(times).toEqual([...times].sort((a, b) => a - b))
      expect(times[0]).toBe(ticket.createdAt.getTime())
      expect(Math.max(...times)).toBeLessThanOrEqual(NOW)
      expect(ticket.updatedAt).toEqual(messages.at(-1)?.createdAt)
    }
    const lastWeek = tickets.filter(
      (generated) => generated.ticket.createdAt.getTime() > NOW - 7 * DAY,
    )
    expect(lastWeek.length / tickets.length).toBeGreaterThan(0.1)
  })

  it('miss their SLA now and then (one ticket in seven or so), a finished one less often', () => {
    const breached = tickets.filter((generated) => generated.ticket.slaBreached)
    const share = breached.length / tickets.length
    expect(share).toBeGreaterThan(0.04)
    expect(share).toBeLessThan(0.2)
    const done = tickets.filter((generated) =>
      ['solved', 'closed'].includes(generated.ticket.status),
    )
    const doneBreached = done.filter((generated) => generated.ticket.slaBreached).length
    expect(doneBreached / done.length).toBeLessThan(0.15)
  })
})
