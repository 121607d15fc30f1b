// Reads of the notifications area: a person's choices, the people around a ticket, and what
// waits to be delivered.
import type { EntityManager } from '@mikro-orm/postgresql'
import {
  defaultPreferences,
  NOTIFICATION_EVENT_NAMES,
  type NotificationEvent,
  type TicketPeople,
} from './rules.ts'

export type Preferences = Record<NotificationEvent, boolean>

/** Stored choices over the defaults; unknown keys (events since retired) are ignored. */
export function preferencesFrom(stored: Record<string, unknown> | undefined): Preferences {
  const preferences = defaultPreferences()
  for (const name of NOTIFICATION_EVENT_NAMES) {
    const value = stored?.[name]
    if (typeof value === 'boolean') preferences[name] = value
  }
  return preferences
}

export async function preferencesOf(em: EntityManager, userId: string): Promise<Preferences> {
  const [row] = await em.execute<{ settings: Record<string, unknown> }[]>(
    'select settings from notification_preferences where user_id = ?',
    [userId],
  )
  return preferencesFrom(row?.settings)
}

/** The people a ticket's notifications go to: requester, assignee and the team's staff. */
export async function ticketPeople(
  em: EntityManager,
  ticketId: string,
): Promise<(TicketPeople & { teamId: string | null }) | null> {
  const [row] = await em.execute<
    {
      requester_id: string
      assignee_id: string | null
      team_id: string | null
      members: string[] | null
    }[]
  >(
    `select t.requester_id, t.assignee_id, t.team_id,
       (select array_agg(m.user_id) from team_members m join users u on u.id = m.user_id
        where m.team_id = t.team_id and u.role <> 'customer' and u.erased_at is null) as members
     from tickets t where t.id = ?`,
    [ticketId],
  )
  if (!row) return null
  return {
    requesterId: row.requester_id,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    teamMembers: row.members ?? [],
  }
}

export interface QueuedNotification {
  id: string
  recipient_id: string
  ticket_id: string
  event: NotificationEvent
  actor_id: string | null
  message_id: string | null
  details: Record<string, unknown>
  created_at: Date
}
