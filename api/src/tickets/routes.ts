// Tickets: list (filters, full-text search, keyset pages), count, create, read, update, and
// one change to many at once.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize, can } from '../policies/policy.ts'
import { entityTag, IfMatch } from '../routes/conditional.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf } from '../routes/pagination.ts'
import { createTicket, updateTicket, updateTickets } from './commands.ts'
import { TicketFilterFields, TicketSortField } from './filters.ts'
import { BulkTicketChanges, NewTicket, TicketChanges } from './inputs.ts'
import { tickets } from './policy.ts'
import { BulkResultOut, presentBulkResult, presentTicket, TicketOut } from './presenters.ts'
import {
  countTickets,
  findTicketRow,
  listTickets as queryTickets,
  type TicketFilters,
  type Viewer,
} from './queries.ts'

const TicketId = z.object({ id: z.uuid() })

type FilterQuery = z.output<z.ZodObject<typeof TicketFilterFields>>

function viewerOf(actor: Actor): Viewer {
  return { userId: actor.userId, seesEveryTicket: can(actor, tickets.update) }
}

function filtersOf(query: FilterQuery, actor: Actor): TicketFilters {
  return {
    ...query,
    assigneeId: query.assigneeId === 'me' ? actor.userId : query.assigneeId,
  }
}

/** The ticket as the actor may see it: 404 when they may not. */
async function readTicket(em: EntityManager, actor: Actor, id: string) {
  const row = await findTicketRow(em, id)
  if (!row) throw new HttpError('not_found', { detail: 'no such ticket' })
  authorize(actor, tickets.read, { requesterId: row.requester_id })
  return presentTicket(row)
}

/** The ticket, with its ETag for conditional updates. */
async function answerTicket(ctx: Context, em: EntityManager, actor: Actor, id: string) {
  const ticket = await readTicket(em, actor, id)
  ctx.set('ETag', entityTag(ticket))
  return ticket
}

const ETAG = { ETag: 'This version of the ticket: send it as If-Match to change it' }

export const listTickets = route
  .get('/tickets')
  .operationId('listTickets')
  .summary(
    'Tickets: filters (comma lists for status and priority; assigneeId=me|none), full-text q, sort',
    'tickets',
  )
  .auth(tickets.list.permission)
  .query(z.object({ ...PageQuery, ...TicketFilterFields, ...TicketSortField }))
  .response(200, pageOf(TicketOut))
  .handle(async ({ query, actor, em }) => {
    const { limit, cursor, sort, ...filters } = query
    // Searching ranks by relevance unless a sort is asked for.
    const order = sort ?? (filters.q === undefined ? 'updated' : 'relevance')
    const page = await queryTickets(em, viewerOf(actor), filtersOf(filters, actor), {
      sort: order,
      limit,
      cursor,
    })
    return { items: page.rows.map(presentTicket), nextCursor: page.nextCursor }
  })

export const countTicketsRoute = route
  .get('/tickets/count')
  .operationId('countTickets')
  .summary('How many tickets match the same filters as the list', 'tickets')
  .auth(tickets.list.permission)
  .query(z.object(TicketFilterFields))
  .response(200, z.object({ count: z.number().int() }))
  .handle(async ({ query, actor, em }) => ({
    count: await countTickets(em, viewerOf(actor), filtersOf(query, actor)),
  }))

export const createTicketRoute = route
  .post('/tickets')
  .operationId('createTicket')
  .summary(
    'File a ticket with its first message (staff may give requesterId); Idempotency-Key makes retries safe',
    'tickets',
  )
  .auth(tickets.create.permission)
  .body(NewTicket)
  .idempotent()
  .response(201, TicketOut)
  .responseHeaders(ETAG)
  .response(
    422,
    undefined,
    'requesterId is not a user, a customer chose a priority not offered to customers (priority_not_offered), or the Idempotency-Key was used for another request',
  )
  .handle(async ({ body, actor, ctx, em }) => {
    const { ticketId } = await createTicket(em, actor, body)
    return answerTicket(ctx, em, actor, ticketId)
  })

export const getTicket = route
  .get('/tickets/:id')
  .operationId('getTicket')
  .summary('One ticket, with its ETag', 'tickets')
  .params(TicketId)
  .auth(tickets.read.permission)
  .response(200, TicketOut)
  .responseHeaders(ETAG)
  .handle(async ({ params, actor, ctx, em }) => answerTicket(ctx, em, actor, params.id))

export const updateTicketRoute = route
  .patch('/tickets/:id')
  .operationId('updateTicket')
  .summary(
    'Change a ticket (staff); its requester may only solve or reopen it. With If-Match, only if unchanged since',
    'tickets',
  )
  .params(TicketId)
  .headers({ 'If-Match': IfMatch })
  .auth(tickets.resolve.permission)
  .body(TicketChanges)
  .response(200, TicketOut)
  .responseHeaders(ETAG)
  .response(412, undefined, 'The ticket changed since the If-Match version (ETag: the current one)')
  .response(422, undefined, 'The assignee or team does not exist (or is not staff)')
  .handle(async ({ params, headers, body, actor, ctx, em }) => {
    await updateTicket(em, actor, params.id, body, { ifMatch: headers['If-Match'] })
    return answerTicket(ctx, em, actor, params.id)
  })

export const updateTicketsRoute = route
  .post('/tickets/bulk')
  .operationId('updateTickets')
  .summary(
    'One change to up to 100 tickets (staff), each as its PATCH would be; answers per ticket',
    'tickets',
  )
  .auth(tickets.update.permission)
  .body(BulkTicketChanges)
  .response(200, BulkResultOut, 'What became of each ticket; a refused one does not stop the rest')
  .response(422, undefined, 'The assignee or team does not exist (or is not staff)')
  .handle(async ({ body, actor, em }) => presentBulkResult(await updateTickets(em, actor, body)))
