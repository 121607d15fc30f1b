// Writes of the notifications area. `noticeTicket` runs inside the transaction of a ticket's
// change: what people are to hear about is queued together with the change, or not at all.
import { randomBytes } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { HttpError } from '../errors.ts'
import { DEFAULT_NOTIFICATION_WINDOW_SECONDS, MAIL_SETTING_KEYS } from '../mail/queries.ts'
import { type Preferences, preferencesOf, ticketPeople } from './queries.ts'
import {
  defaultPreferences,
  NOTIFICATION_EVENT_NAMES,
  type NotificationEvent,
  recipientsOf,
  type TicketHappening,
} from './rules.ts'

/**
 * Queues the notifications these happenings of one ticket give. A person's notifications
 * within the window share one delivery time — that of the first — and so one mail.
 */
export async function noticeTicket(
  em: EntityManager,
  ticketId: string,
  actorId: string | null,
  happenings: TicketHappening[],
): Promise<void> {
  if (happenings.length === 0) return
  const people = await ticketPeople(em, ticketId)
  if (!people) return
  const wanted = new Map<NotificationEvent, Set<string>>()
  for (const happening of happenings) {
    for (const { userId, event } of recipientsOf(happening, people, actorId)) {
      const users = wanted.get(event) ?? new Set()
      users.add(userId)
      wanted.set(event, users)
    }
  }
  if (wanted.size === 0) return
  const messageId = await carriedMessage(em, ticketId, happenings)
  for (const [event, users] of wanted) {
    await queueFor(em, [...users], {
      ticketId,
      event,
      actorId,
      messageId: ['agentReply', 'customerReply', 'newTicket'].includes(event) ? messageId : null,
      details: detailsOf(happenings, event),
    })
  }
}

/**
 * Queues one event for those of `userIds` who want it and can still get mail (not erased), in
 * one statement: a reply runs this inside its transaction, where each round trip to Postgres
 * costs more than the SQL. A person's choice is read as `preferencesFrom` reads it (a stored
 * boolean over the default); the delivery time is that of the person's first queued
 * notification, or now plus the notification window.
 */
async function queueFor(
  em: EntityManager,
  userIds: string[],
  notification: {
    ticketId: string
    event: NotificationEvent
    actorId: string | null
    messageId: string | null
    details: Record<string, unknown>
  },
): Promise<void> {
  const { ticketId, event, actorId, messageId, details } = notification
  await em.execute(
    `insert into notification_queue
       (recipient_id, ticket_id, event, actor_id, message_id, details, deliver_after)
     select u.id, ?, ?, ?, ?, ?::jsonb, coalesce(
       (select min(q.deliver_after) from notification_queue q where q.recipient_id = u.id),
       now() + make_interval(secs => coalesce(
         (select (s.value #>> '{}')::int from app_setting s
          where s.key = ? and jsonb_typeof(s.value) = 'number'),
         ?)))
     from users u left join notification_preferences p on p.user_id = u.id
     where u.id in (?) and u.erased_at is null
       and coalesce(
         case jsonb_typeof(p.settings -> ?) when 'boolean' then (p.settings ->> ?)::boolean end,
         ?)`,
    [
      ticketId,
      event,
      actorId,
      messageId,
      JSON.stringify(details),
      MAIL_SETTING_KEYS.notificationWindowSeconds,
      DEFAULT_NOTIFICATION_WINDOW_SECONDS,
      userIds,
      event,
      event,
      defaultPreferences()[event],
    ],
  )
}

/** The message a mail shows: the reply, or for a ticket new to a team its first message. */
async function carriedMessage(
  em: EntityManager,
  ticketId: string,
  happenings: TicketHappening[],
): Promise<string | null> {
  for (const happening of happenings) {
    if (happening.kind === 'reply' || happening.kind === 'created') return happening.messageId
  }
  if (!happenings.some((happening) => happening.kind === 'team')) return null
  const [first] = await em.execute<{ id: string }[]>(
    `select id from messages where ticket_id = ? and not internal
     order by created_at, id limit 1`,
    [ticketId],
  )
  return first?.id ?? null
}

/** What the mail needs to say beyond the ticket: the new status. */
function detailsOf(happenings: TicketHappening[], event: NotificationEvent) {
  if (event !== 'ticketStatus') return {}
  const status = happenings.find((happening) => happening.kind === 'status')
  return status?.kind === 'status' ? { status: status.to } : {}
}

/** Stores a person's choices (the others keep theirs) and returns them all. */
export async function setPreferences(
  em: EntityManager,
  userId: string,
  changes: Partial<Preferences>,
): Promise<Preferences> {
  await em.execute(
    `insert into notification_preferences (user_id, settings, unsubscribe_token)
     values (?, ?::jsonb, ?)
     on conflict (user_id) do update
       set settings = notification_preferences.settings || excluded.settings, updated_at = now()`,
    [userId, JSON.stringify(changes), newUnsubscribeToken()],
  )
  return preferencesOf(em, userId)
}

/** The person's unsubscribe token (made on first use): the link in every notification. */
export async function unsubscribeTokenOf(em: EntityManager, userId: string): Promise<string> {
  await em.execute(
    `insert into notification_preferences (user_id, unsubscribe_token) values (?, ?)
     on conflict (user_id) do nothing`,
    [userId, newUnsubscribeToken()],
  )
  const [row] = await em.execute<{ unsubscribe_token: string }[]>(
    'select unsubscribe_token from notification_preferences where user_id = ?',
    [userId],
  )
  return (row as { unsubscribe_token: string }).unsubscribe_token
}

/** One click in a mail: every notification of that person off. Returns whose they were. */
export async function unsubscribe(em: EntityManager, token: string): Promise<string> {
  const off = Object.fromEntries(NOTIFICATION_EVENT_NAMES.map((name) => [name, false]))
  const [row] = await em.execute<{ user_id: string }[]>(
    `update notification_preferences set settings = settings || ?::jsonb, updated_at = now()
     where unsubscribe_token = ? returning user_id`,
    [JSON.stringify(off), token],
  )
  if (!row) throw new HttpError('not_found', { detail: 'this unsubscribe link is not known' })
  await em.execute('delete from notification_queue where recipient_id = ?', [row.user_id])
  return row.user_id
}

function newUnsubscribeToken(): string {
  return randomBytes(24).toString('base64url')
}
