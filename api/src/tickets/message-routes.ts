// A ticket's conversation (oldest first; customers never get internal notes) and its history.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { can } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { decodeCursor, PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { addMessage, ticketFor } from './commands.ts'
import { Attachment, type AttachmentEntity } from './entities.ts'
import { NewMessage } from './inputs.ts'
import {
  MessageOut,
  type MessageRow,
  presentEvent,
  presentMessage,
  TicketEventOut,
  type TicketEventRow,
} from './presenters.ts'
import { tickets } from './ticket-policy.ts'
import { PostgresTimestamp, runKeysetQuery } from './ticket-query.ts'

const TicketId = z.object({ id: z.uuid() })

/** Attachments of these messages that still exist, by message id. */
async function attachmentsOf(em: EntityManager, messageIds: string[]) {
  const byMessage = new Map<string, AttachmentEntity[]>()
  if (messageIds.length === 0) return byMessage
  const rows = await em.find(
    Attachment,
    { messageId: { $in: messageIds }, erasedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  )
  for (const row of rows) {
    const list = byMessage.get(row.messageId as string) ?? []
    list.push(row)
    byMessage.set(row.messageId as string, list)
  }
  return byMessage
}

export const listMessages = route
  .get('/tickets/:id/messages')
  .summary('The conversation, oldest first (internal notes for staff only)', 'tickets')
  .params(TicketId)
  .query(z.object(PageQuery))
  .auth(tickets.read.permission)
  .response(200, pageOf(MessageOut))
  .handle(async ({ params, query, actor, em }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    const after = decodeCursor(query.cursor, z.tuple([PostgresTimestamp, z.uuid()]))
    const withNotes = can(actor, tickets.internal, ticket)
    const rows = await runKeysetQuery<MessageRow & { created_text: string }>(
      em,
      `select m.id, m.body, m.internal, m.created_at, m.created_at::text as created_text,
         m.author_id, u.name as author_name
       from messages m join users u on u.id = m.author_id
       where m.ticket_id = ? ${withNotes ? '' : 'and not m.internal'}
         ${after ? 'and (m.created_at, m.id) > (?::timestamptz, ?::uuid)' : ''}
       order by m.created_at, m.id
       limit ?`,
      [ticket.id, ...(after ?? []), query.limit + 1],
    )
    const attachments = await attachmentsOf(
      em,
      rows.slice(0, query.limit).map((row) => row.id),
    )
    return toPage(
      rows,
      query.limit,
      (row) => presentMessage(row, attachments.get(row.id) ?? []),
      (row) => [row.created_text, row.id],
    )
  })

export const postMessage = route
  .post('/tickets/:id/messages')
  .summary('Reply, or add an internal note (staff: internal: true)', 'tickets')
  .params(TicketId)
  .auth(tickets.reply.permission)
  .body(NewMessage)
  .response(201, MessageOut)
  .response(409, undefined, 'The ticket is closed')
  .handle(async ({ params, body, actor, em }) => {
    const message = await addMessage(em, actor, params.id, body)
    const [author] = await em.execute<{ name: string }[]>('select name from users where id = ?', [
      actor.userId,
    ])
    return presentMessage(
      {
        id: message.id,
        body: message.body,
        internal: message.internal,
        created_at: message.createdAt,
        author_id: actor.userId,
        author_name: author?.name ?? '',
      },
      [],
    )
  })

export const listEvents = route
  .get('/tickets/:id/events')
  .summary('What changed on the ticket, who changed it and when (oldest first)', 'tickets')
  .params(TicketId)
  .query(z.object(PageQuery))
  .auth(tickets.read.permission)
  .response(200, pageOf(TicketEventOut))
  .handle(async ({ params, query, actor, em }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    const after = decodeCursor(query.cursor, z.tuple([z.string().regex(/^\d{1,18}$/)]))
    const withNotes = can(actor, tickets.internal, ticket)
    const rows = await em.execute<TicketEventRow[]>(
      `select e.id, e.at, e.action, e.changes, e.actor_id, u.name as actor_name
       from ticket_events e left join users u on u.id = e.actor_id
       where e.ticket_id = ? ${withNotes ? '' : 'and not e.internal'}
         ${after ? 'and e.id > ?::bigint' : ''}
       order by e.id
       limit ?`,
      [ticket.id, ...(after ?? []), query.limit + 1],
    )
    return toPage(rows, query.limit, presentEvent, (row) => [String(row.id)])
  })
