// Writes to tickets. Each runs in one transaction and records what it changed as a ticket
// event (who, from -> to, when), and keeps the SLA clock and due times current. Also the
// admins' one write to the SLA targets.
import { LockMode } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { User } from '../accounts/entities.ts'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { announceTicket } from '../live/news.ts'
import { noticeTicket } from '../notifications/commands.ts'
import type { TicketHappening } from '../notifications/rules.ts'
import { authorize, can, type PolicyAction } from '../policies/policy.ts'
import { assertMatches, entityTag } from '../routes/conditional.ts'
import type { Person } from '../routes/shapes.ts'
import { readSettings } from '../settings/queries.ts'
import { Team } from '../teams/entities.ts'
import {
  Message,
  type MessageEntity,
  SlaPolicy,
  Ticket,
  type TicketEntity,
  TicketEvent,
} from './entities.ts'
import {
  type BulkTicketChanges,
  MAX_TAGS,
  type NewMessage,
  type NewTicket,
  type SlaPolicyItem,
  type TicketChanges,
} from './inputs.ts'
import { type TicketTarget, tickets } from './policy.ts'
import { presentTicket } from './presenters.ts'
import { findTicketRow, slaPolicyItems } from './queries.ts'
import {
  afterFirstResponse,
  afterStatusChange,
  dueTimes,
  newClock,
  type SlaClock,
  type SlaTargets,
} from './sla.ts'
import type { TicketPriority, TicketStatus } from './vocabulary.ts'

type Changes = Record<string, { from: unknown; to: unknown }>

/** The ticket, if the actor may see it (404 otherwise) and do `action` to it (403 otherwise). */
export async function ticketFor(
  em: EntityManager,
  actor: Actor,
  action: PolicyAction<TicketTarget>,
  id: string,
  options: { lock?: boolean } = {},
): Promise<TicketEntity> {
  const ticket = await em.findOne(
    Ticket,
    { id },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  )
  if (!ticket) throw new HttpError('not_found', { detail: 'no such ticket' })
  authorize(actor, action, ticket)
  return ticket
}

export async function slaTargetsFor(
  em: EntityManager,
  priority: TicketPriority,
): Promise<SlaTargets> {
  const policy = await em.findOneOrFail(SlaPolicy, { priority })
  return {
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
  }
}

function clockOf(ticket: TicketEntity): SlaClock {
  return {
    createdAt: ticket.createdAt,
    firstRespondedAt: ticket.firstRespondedAt ?? null,
    pausedMs: ticket.slaPausedMs,
    pausedSince: ticket.slaPausedSince ?? null,
  }
}

/** Stores the clock and the due times it gives for the ticket's current status. */
function setClock(ticket: TicketEntity, clock: SlaClock, targets: SlaTargets): void {
  ticket.firstRespondedAt = clock.firstRespondedAt
  ticket.slaPausedMs = clock.pausedMs
  ticket.slaPausedSince = clock.pausedSince
  const due = dueTimes(clock, ticket.status, targets)
  ticket.firstResponseDueAt = due.firstResponseDueAt
  ticket.resolutionDueAt = due.resolutionDueAt
}

function recordEvent(
  em: EntityManager,
  ticket: TicketEntity,
  actor: Actor | null,
  action: string,
  changes: Changes,
  options: { internal?: boolean; at: Date },
): void {
  em.create(TicketEvent, {
    ticketId: ticket.id,
    actorId: actor?.userId ?? null,
    action,
    changes,
    internal: options.internal ?? false,
    at: options.at,
  })
}

/** How a ticket or message came in, when not through the web app (a mail channel). */
export interface ByMail {
  teamId: string | null
  fullBody: string
  htmlBody: string | null
}

export const PRIORITY_NOT_OFFERED = defineErrorType('priority_not_offered', {
  status: 422,
  title: 'Customers may not choose this priority',
})

/**
 * Customers choose among the priorities the settings offer them (staff triage the rest);
 * leaving it out gets the usual default, normal.
 */
async function assertPriorityOffered(em: EntityManager, actor: Actor, priority?: TicketPriority) {
  if (priority === undefined || can(actor, tickets.chooseAnyPriority)) return
  const offered = (await readSettings(em)).customerPriorities
  if (offered.includes(priority)) return
  throw new HttpError(PRIORITY_NOT_OFFERED, {
    detail: `customers may choose ${offered.join(', ')}; staff set other priorities`,
    errors: [{ path: 'body.priority', message: `Choose one of: ${offered.join(', ')}` }],
  })
}

/** Creates a ticket and its first message; returns the new ticket's and message's ids. */
export async function createTicket(
  em: EntityManager,
  actor: Actor,
  input: NewTicket,
  byMail?: ByMail,
): Promise<{ ticketId: string; messageId: string; requesterId: string }> {
  const created = await em.transactional(async (tx) => {
    const requesterId = input.requesterId ?? actor.userId
    if (requesterId !== actor.userId) {
      if (!can(actor, tickets.createForOthers)) {
        throw new HttpError('forbidden', { detail: 'only staff file tickets for others' })
      }
      await existingPerson(tx, requesterId, 'body.requesterId')
    }
    await assertPriorityOffered(tx, actor, input.priority)
    const now = new Date()
    const priority = input.priority ?? 'normal'
    const ticket = tx.create(Ticket, {
      subject: input.subject,
      status: 'new',
      priority,
      requesterId,
      assigneeId: null,
      teamId: byMail?.teamId ?? null,
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
      slaBreached: false,
    })
    setClock(ticket, newClock(now, 'new'), await slaTargetsFor(tx, priority))
    // The ticket row must exist before its message (the foreign key checks at once).
    await tx.flush()
    const message = tx.create(Message, {
      ticketId: ticket.id,
      authorId: actor.userId,
      body: input.body,
      internal: false,
      createdAt: now,
      ...mailColumns(byMail),
    })
    recordEvent(tx, ticket, actor, 'ticket.created', {}, { at: now })
    await tx.flush()
    await noticeTicket(tx, ticket.id, actor.userId, [{ kind: 'created', messageId: message.id }])
    return { ticketId: ticket.id, messageId: message.id, requesterId }
  })
  announceTicket({ kind: 'ticket.created', ...created })
  return created
}

function mailColumns(byMail: ByMail | undefined) {
  return byMail
    ? { via: 'email' as const, fullBody: byMail.fullBody, htmlBody: byMail.htmlBody }
    : {}
}

/**
 * Tags added and removed rather than all of them: one change for many tickets whose tags
 * differ (a bulk change). Applied to the ticket as it is under the row lock.
 */
export interface TagEdits {
  addTags?: string[] | undefined
  removeTags?: string[] | undefined
}

/** Whether a change did something, or found the ticket already so. */
export type UpdateOutcome = 'updated' | 'unchanged'

/**
 * Applies a PATCH (or one ticket's part of a bulk change): staff change anything, a requester
 * may only solve or reopen. With `ifMatch` (an If-Match header), only when the ticket is still
 * the version the caller read.
 */
export async function updateTicket(
  em: EntityManager,
  actor: Actor,
  id: string,
  edits: TicketChanges & TagEdits,
  options: { ifMatch?: string | undefined } = {},
): Promise<UpdateOutcome> {
  const changed = await em.transactional(async (tx) => {
    const ticket = await ticketFor(tx, actor, tickets.resolve, id, { lock: true })
    await assertUnchanged(tx, id, options.ifMatch)
    const input = withTagEdits(ticket, edits)
    if (!can(actor, tickets.update, ticket)) assertRequesterChange(ticket, input)
    const now = new Date()
    const changes: Changes = {}
    const change = <K extends 'subject' | 'priority' | 'tags'>(field: K) => {
      const to = input[field]
      if (to === undefined || sameValue(ticket[field], to)) return
      changes[field] = { from: ticket[field], to }
      ticket[field] = to as TicketEntity[K]
    }
    change('subject')
    change('priority')
    change('tags')
    await changePerson(tx, ticket, input, changes)
    let clock = clockOf(ticket)
    if (input.status !== undefined && input.status !== ticket.status) {
      changes.status = { from: ticket.status, to: input.status }
      clock = afterStatusChange(clock, ticket.status, input.status, now)
      ticket.status = input.status
    }
    if (Object.keys(changes).length === 0) return undefined
    setClock(ticket, clock, await slaTargetsFor(tx, ticket.priority))
    ticket.updatedAt = now
    recordEvent(tx, ticket, actor, 'ticket.updated', changes, { at: now })
    await tx.flush()
    await noticeTicket(tx, ticket.id, actor.userId, happeningsOf(input, changes))
    return ticket
  })
  if (!changed) return 'unchanged'
  announceTicket({
    kind: 'ticket.changed',
    ticketId: changed.id,
    requesterId: changed.requesterId,
  })
  return 'updated'
}

/** The change with its tag edits made into the ticket's whole new set of tags. */
function withTagEdits(ticket: TicketEntity, edits: TicketChanges & TagEdits): TicketChanges {
  const { addTags, removeTags, ...input } = edits
  if (addTags === undefined && removeTags === undefined) return input
  const removed = new Set(removeTags ?? [])
  const tags = [...new Set([...ticket.tags, ...(addTags ?? [])])].filter((tag) => !removed.has(tag))
  if (tags.length > MAX_TAGS) {
    throw unprocessable('body.change.addTags', `a ticket holds at most ${MAX_TAGS} tags`)
  }
  return { ...input, tags }
}

/** One ticket's part of a bulk change: changed, already so, or refused and why. */
export type BulkOutcome =
  | { ticketId: string; outcome: UpdateOutcome }
  | { ticketId: string; outcome: 'failed'; error: HttpError }

/**
 * Applies one change to many tickets, each as its own PATCH would be (the same rules, event,
 * notifications and news) in its own transaction: a ticket refused (gone, not the actor's to
 * change, over its tag limit) is reported and the others go on. An assignee or team that does
 * not exist refuses the whole request first, as it would refuse every ticket. Anything but a
 * refusal (the database gone: 5xx) ends the request; tickets already changed stay changed, and
 * sending the same change again is harmless.
 */
export async function updateTickets(
  em: EntityManager,
  actor: Actor,
  { ticketIds, change }: BulkTicketChanges,
): Promise<BulkOutcome[]> {
  if (change.assigneeId) await assignableAgent(em, change.assigneeId, 'body.change.assigneeId')
  if (change.teamId) await existingTeam(em, change.teamId, 'body.change.teamId')
  const outcomes: BulkOutcome[] = []
  for (const ticketId of ticketIds) {
    try {
      outcomes.push({ ticketId, outcome: await updateTicket(em, actor, ticketId, change) })
    } catch (error) {
      // A refusal is this ticket's; the server failing (5xx) is every ticket's.
      if (!(error instanceof HttpError) || error.status >= 500) throw error
      outcomes.push({ ticketId, outcome: 'failed', error })
    }
  }
  return outcomes
}

/** With `ifMatch`, 412 unless the ticket (locked by the caller) is still that version. */
async function assertUnchanged(em: EntityManager, id: string, ifMatch: string | undefined) {
  if (ifMatch === undefined) return
  // Read under the row lock: a concurrent change has committed or not started.
  const current = await findTicketRow(em, id)
  if (current) assertMatches(ifMatch, entityTag(presentTicket(current)))
}

/** What people may need to hear about among a PATCH's changes. */
function happeningsOf(input: TicketChanges, changes: Changes): TicketHappening[] {
  const happenings: TicketHappening[] = []
  if (changes.assignee) happenings.push({ kind: 'assigned', to: input.assigneeId ?? null })
  if (changes.team) happenings.push({ kind: 'team', to: input.teamId ?? null })
  if (changes.status) happenings.push({ kind: 'status', to: String(changes.status.to) })
  return happenings
}

/** Solve or reopen, nothing else; a closed ticket stays closed. */
function assertRequesterChange(ticket: TicketEntity, input: TicketChanges): void {
  const fields = Object.entries(input).filter(([, value]) => value !== undefined)
  const allowed =
    fields.every(([field]) => field === 'status') &&
    (input.status === undefined ||
      input.status === ticket.status ||
      (input.status === 'solved' && ticket.status !== 'closed') ||
      (input.status === 'open' && ticket.status === 'solved'))
  if (!allowed) {
    throw new HttpError('forbidden', {
      detail: 'requesters may only mark their ticket solved or reopen it',
    })
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Assignee and team: checked to exist (and to be staff), recorded with their names. */
async function changePerson(
  em: EntityManager,
  ticket: TicketEntity,
  input: TicketChanges,
  changes: Changes,
): Promise<void> {
  if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
    const to = input.assigneeId && (await assignableAgent(em, input.assigneeId, 'body.assigneeId'))
    changes.assignee = { from: await personOrNull(em, ticket.assigneeId ?? null), to: to || null }
    ticket.assigneeId = input.assigneeId
  }
  if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
    const to = input.teamId && (await existingTeam(em, input.teamId, 'body.teamId'))
    changes.team = { from: await teamOrNull(em, ticket.teamId ?? null), to: to || null }
    ticket.teamId = input.teamId
  }
}

function unprocessable(path: string, message: string): HttpError {
  return new HttpError('unprocessable', { detail: message, errors: [{ path, message }] })
}

async function existingPerson(em: EntityManager, id: string, path: string): Promise<Person> {
  const user = await em.findOne(User, { id, erasedAt: null })
  if (!user) throw unprocessable(path, 'no such user')
  return { id: user.id, name: user.name }
}

async function assignableAgent(em: EntityManager, id: string, path: string): Promise<Person> {
  const user = await em.findOne(User, { id, erasedAt: null })
  if (!user || user.role === 'customer') throw unprocessable(path, 'no agent or admin with this id')
  return { id: user.id, name: user.name }
}

async function existingTeam(em: EntityManager, id: string, path: string): Promise<Person> {
  const team = await em.findOne(Team, { id })
  if (!team) throw unprocessable(path, 'no such team')
  return { id: team.id, name: team.name }
}

async function personOrNull(em: EntityManager, id: string | null): Promise<Person | null> {
  if (!id) return null
  const user = await em.findOne(User, { id })
  return user ? { id: user.id, name: user.name } : null
}

async function teamOrNull(em: EntityManager, id: string | null): Promise<Person | null> {
  if (!id) return null
  const team = await em.findOne(Team, { id })
  return team ? { id: team.id, name: team.name } : null
}

/**
 * Adds a reply or (staff only) an internal note. A staff reply is the first response and
 * opens a new ticket; the requester's reply brings a pending or solved ticket back to open.
 * With `input.status`, the ticket then takes that status in the same transaction, under the
 * rules of a PATCH: a refused status leaves no message. With `ifMatch` (an If-Match header),
 * only when the ticket is still the version the caller read.
 */
export async function addMessage(
  em: EntityManager,
  actor: Actor,
  id: string,
  input: NewMessage,
  options: { byMail?: ByMail; ifMatch?: string | undefined } = {},
): Promise<MessageEntity> {
  const { byMail } = options
  const { ticket, message } = await em.transactional(async (tx) => {
    const ticket = await ticketFor(tx, actor, tickets.reply, id, { lock: true })
    await assertUnchanged(tx, id, options.ifMatch)
    const internal = input.internal ?? false
    if (internal) authorize(actor, tickets.internal, ticket)
    if (ticket.status === 'closed') {
      throw new HttpError('conflict', { detail: 'a closed ticket takes no more messages' })
    }
    if (input.status !== undefined && !can(actor, tickets.update, ticket)) {
      assertRequesterChange(ticket, { status: input.status })
    }
    const now = new Date()
    const message = tx.create(Message, {
      ticketId: ticket.id,
      authorId: actor.userId,
      body: input.body,
      internal,
      createdAt: now,
      ...mailColumns(byMail),
    })
    const changes: Changes = {}
    let clock = clockOf(ticket)
    if (!internal && can(actor, tickets.internal, ticket)) clock = afterFirstResponse(clock, now)
    const next = input.status ?? (internal ? ticket.status : statusAfterReply(ticket, actor))
    if (next !== ticket.status) {
      changes.status = { from: ticket.status, to: next }
      clock = afterStatusChange(clock, ticket.status, next, now)
      ticket.status = next
    }
    setClock(ticket, clock, await slaTargetsFor(tx, ticket.priority))
    ticket.updatedAt = now
    recordEvent(tx, ticket, actor, internal ? 'note.added' : 'reply.added', changes, {
      at: now,
      internal,
    })
    await tx.flush()
    // An internal note is news to nobody outside the staff, and notifies no one.
    const happenings: TicketHappening[] = internal
      ? []
      : [{ kind: 'reply', byStaff: can(actor, tickets.internal, ticket), messageId: message.id }]
    if (input.status !== undefined && changes.status) {
      happenings.push({ kind: 'status', to: String(changes.status.to) })
    }
    if (happenings.length > 0) await noticeTicket(tx, ticket.id, actor.userId, happenings)
    return { ticket, message }
  })
  announceTicket({
    kind: 'message.added',
    ticketId: ticket.id,
    requesterId: ticket.requesterId,
    messageId: message.id,
    internal: message.internal,
  })
  return message
}

function statusAfterReply(ticket: TicketEntity, actor: Actor): TicketStatus {
  const staff = can(actor, tickets.internal, ticket)
  if (staff && ticket.status === 'new') return 'open'
  if (!staff && ['pending', 'solved'].includes(ticket.status)) return 'open'
  return ticket.status
}

/**
 * Replaces the SLA targets (audited with before and after). New due times use them from each
 * ticket's next change on; due times already set stay.
 */
export async function setSlaTargets(
  em: EntityManager,
  origin: AuditOrigin,
  items: SlaPolicyItem[],
): Promise<void> {
  await em.transactional(async (tx) => {
    const before = await slaPolicyItems(tx)
    for (const item of items) {
      await tx.nativeUpdate(
        SlaPolicy,
        { priority: item.priority },
        {
          firstResponseMinutes: item.firstResponseMinutes,
          resolutionMinutes: item.resolutionMinutes,
          updatedAt: new Date(),
        },
      )
    }
    await recordAudit(tx, origin, {
      action: 'sla_policies.updated',
      targetType: 'sla_policies',
      details: { before, after: items },
    })
  })
}
