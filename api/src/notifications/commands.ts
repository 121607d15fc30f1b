// Writes of the notifications area. `noticeTicket` runs inside the transaction of a ticket's
// change: what people are to hear about is queued together with the change, or not at all.
import { randomBytes } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { HttpError } from '../errors.ts'
import {
  notificationWindowSeconds,
  type Preferences,
  preferencesOf,
  ticketPeople,
  wantingRecipients,
} from './queries.ts'
import {
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
  const window = await notificationWindowSeconds(em)
  const messageId = await carriedMessage(em, ticketId, happenings)
  for (const [event, users] of wanted) {
    for (const recipientId of await wantingRecipients(em, [...users], event)) {
      await em.execute(
        `insert into notification_queue
           (recipient_id, ticket_id, event, actor_id, message_id, details, deliver_after)
         values (?, ?, ?, ?, ?, ?::jsonb, coalesce(
           (select min(deliver_after) from notification_queue where recipient_id = ?),
           now() + make_interval(secs => ?)))`,
        [
          recipientId,
          ticketId,
          event,
          actorId,
          ['agentReply', 'customerReply', 'newTicket'].includes(event) ? messageId : null,
          JSON.stringify(detailsOf(happenings, event)),
          recipientId,
          window,
        ],
      )
    }
  }
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
