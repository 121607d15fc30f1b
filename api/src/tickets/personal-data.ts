// GDPR for the tickets area (src/privacy/personal-data.ts). Export: the tickets a person
// requested and the messages they wrote. Erasure: their words are replaced (subjects of their
// tickets, bodies of their messages); tickets, numbers, statuses, other people's replies and
// the history stay, so every ticket still reads consistently — attributed to "Erased user" by
// the accounts side. Their uploads are the attachments area's (attachments/personal-data.ts).
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { iso } from '../routes/shapes.ts'

export const ERASED_SUBJECT = 'Ticket of an erased user'
export const ERASED_BODY = '[Removed: written by a user whose data was erased]'

interface TicketExportRow {
  id: string
  number: number
  subject: string
  status: string
  priority: string
  tags: string[]
  created_at: string
  updated_at: string
}

interface MessageExportRow {
  id: string
  ticket_id: string
  body: string
  internal: boolean
  created_at: string
}

async function exportTickets(em: EntityManager, userId: string) {
  const [tickets, messages] = await Promise.all([
    em.execute<TicketExportRow[]>(
      `select id, number, subject, status, priority, tags, created_at, updated_at
       from tickets where requester_id = ? order by created_at, id`,
      [userId],
    ),
    em.execute<MessageExportRow[]>(
      `select id, ticket_id, body, internal, created_at
       from messages where author_id = ? order by created_at, id`,
      [userId],
    ),
  ])
  return {
    ticketsRequested: tickets.map((row) => ({
      id: row.id,
      number: Number(row.number),
      subject: row.subject,
      status: row.status,
      priority: row.priority,
      tags: row.tags,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    })),
    messages: messages.map((row) => ({
      id: row.id,
      ticketId: row.ticket_id,
      body: row.body,
      internal: row.internal,
      createdAt: iso(row.created_at),
    })),
  }
}

/** Idempotent: a second run finds nothing left to replace. */
async function eraseTicketData(em: EntityManager, userId: string) {
  await em.execute(
    `update messages set body = ?, full_body = null, html_body = null
     where author_id = ? and (body <> ? or full_body is not null or html_body is not null)`,
    [ERASED_BODY, userId, ERASED_BODY],
  )
  // Setting the subject (even to itself) rebuilds each ticket's search document, which must
  // no longer find the erased words: their tickets, and every ticket they wrote in.
  await em.execute(
    `update tickets set subject = case when requester_id = ? then ? else subject end
     where requester_id = ? or id in (select ticket_id from messages where author_id = ?)`,
    [userId, ERASED_SUBJECT, userId, userId],
  )
  return { storageKeys: [] }
}

export const ticketsPersonalData: PersonalDataSource = {
  name: 'tickets',
  export: exportTickets,
  erase: eraseTicketData,
}
