// The tickets area's tables (Migration20261128100000_tickets). Columns the database computes
// (`priority_rank`, `due_at`, the search document) are not mapped: only SQL reads them.
import { defineEntity, p } from '@mikro-orm/core'
import { TICKET_PRIORITIES, TICKET_STATUSES } from './vocabulary.ts'

export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    /** From an identity column: unique, and increasing in the order tickets are created. */
    number: p.integer().autoincrement(),
    subject: p.text(),
    status: p.enum(TICKET_STATUSES),
    priority: p.enum(TICKET_PRIORITIES),
    requesterId: p.uuid(),
    assigneeId: p.uuid().nullable(),
    teamId: p.uuid().nullable(),
    tags: p.array(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    firstRespondedAt: p.datetime().nullable(),
    /** The SLA resolution clock: paused time so far, and since when it stands still. */
    slaPausedMs: p.bigint('number').default(0),
    slaPausedSince: p.datetime().nullable(),
    firstResponseDueAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    slaBreached: p.boolean().default(false),
  },
})
export type TicketEntity = InstanceType<typeof Ticket.class>

/** A public reply or an internal note; the body is Markdown source, stored and served as text. */
export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    ticketId: p.uuid(),
    authorId: p.uuid(),
    body: p.text(),
    internal: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** How it arrived; a mail keeps its whole text (quoted history too) and sanitized HTML. */
    via: p.enum(['web', 'email'] as const).default('web'),
    fullBody: p.text().nullable(),
    htmlBody: p.text().nullable(),
  },
})
export type MessageEntity = InstanceType<typeof Message.class>

/** One change to a ticket: who, what (`changes: { field: { from, to } }`), when. */
export const TicketEvent = defineEntity({
  name: 'TicketEvent',
  tableName: 'ticket_events',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    ticketId: p.uuid(),
    /** Null for the system (the SLA job). */
    actorId: p.uuid().nullable(),
    action: p.text(),
    changes: p.json<Record<string, { from: unknown; to: unknown }>>(),
    /** About an internal note: customers do not see it. */
    internal: p.boolean().default(false),
    at: p.datetime().onCreate(() => new Date()),
  },
})

/** First-response and resolution targets of one priority, in minutes. */
export const SlaPolicy = defineEntity({
  name: 'SlaPolicy',
  tableName: 'sla_policies',
  properties: {
    priority: p.enum(TICKET_PRIORITIES).primary(),
    firstResponseMinutes: p.integer(),
    resolutionMinutes: p.integer(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})

export const TICKET_ENTITIES = [Ticket, Message, TicketEvent, SlaPolicy]
