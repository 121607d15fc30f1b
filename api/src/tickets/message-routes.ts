// A ticket's conversation (oldest first; customers never get internal notes) and its history.
import { z } from 'zod'
import { attachmentsOfMessages } from '../attachments/queries.ts'
import { can } from '../policies/policy.ts'
import { IfMatch } from '../routes/conditional.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { addMessage, ticketFor } from './commands.ts'
import { NewMessage } from './inputs.ts'
import { tickets } from './policy.ts'
import { MessageOut, presentEvent, presentMessage, TicketEventOut } from './presenters.ts'
import { eventPage, messagePage, userName } from './queries.ts'

const TicketId = z.object({ id: z.uuid() })

export const listMessages = route
  .get('/tickets/:id/messages')
  .operationId('listMessages')
  .summary('The conversation, oldest first (internal notes for staff only)', 'tickets')
  .params(TicketId)
  .query(z.object(PageQuery))
  .auth(tickets.read.permission)
  .response(200, pageOf(MessageOut))
  .handle(async ({ params, query, actor, em }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    const withNotes = can(actor, tickets.internal, ticket)
    const rows = await messagePage(em, ticket.id, { withNotes, ...query })
    const attachments = await attachmentsOfMessages(
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
  .operationId('createMessage')
  .summary(
    'Reply, or add an internal note (staff: internal: true), and optionally set the status with it; Idempotency-Key makes retries safe',
    'tickets',
  )
  .params(TicketId)
  .auth(tickets.reply.permission)
  .headers({ 'If-Match': IfMatch })
  .body(NewMessage)
  .idempotent()
  .response(201, MessageOut)
  .response(403, undefined, 'The status is one the sender may not set; nothing was saved')
  .response(409, undefined, 'The ticket is closed')
  .response(412, undefined, 'The ticket changed since the If-Match version; nothing was saved')
  .handle(async ({ params, body, headers, actor, em }) => {
    const message = await addMessage(em, actor, params.id, body, { ifMatch: headers['If-Match'] })
    return presentMessage(
      {
        id: message.id,
        body: message.body,
        internal: message.internal,
        created_at: message.createdAt,
        author_id: actor.userId,
        author_name: await userName(em, actor.userId),
        via: 'web',
        full_body: null,
        html_body: null,
      },
      [],
    )
  })

export const listEvents = route
  .get('/tickets/:id/events')
  .operationId('listTicketEvents')
  .summary('What changed on the ticket, who changed it and when (oldest first)', 'tickets')
  .params(TicketId)
  .query(z.object(PageQuery))
  .auth(tickets.read.permission)
  .response(200, pageOf(TicketEventOut))
  .handle(async ({ params, query, actor, em }) => {
    const ticket = await ticketFor(em, actor, tickets.read, params.id)
    const withNotes = can(actor, tickets.internal, ticket)
    const rows = await eventPage(em, ticket.id, { withNotes, ...query })
    return toPage(rows, query.limit, presentEvent, (row) => [String(row.id)])
  })
