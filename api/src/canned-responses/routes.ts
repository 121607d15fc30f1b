// Canned responses: the shared ones and each person's own, by shortcut; the placeholders they
// may hold; a response filled in for a ticket. Staff only.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { HttpError } from '../errors.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf } from '../routes/pagination.ts'
import { tickets } from '../tickets/policy.ts'
import { createCannedResponse, deleteCannedResponse, updateCannedResponse } from './commands.ts'
import { CannedResponseChanges, NewCannedResponse } from './inputs.ts'
import { fillPlaceholders, placeholderList } from './placeholders.ts'
import { cannedResponses } from './policy.ts'
import {
  CannedResponseOut,
  PlaceholderOut,
  presentCannedResponse,
  RenderedOut,
} from './presenters.ts'
import { cannedResponseFor, cannedResponsePage, placeholderContext } from './queries.ts'

const ResponseId = z.object({ id: z.uuid() })
const TAG = 'canned responses'

export const listCannedResponses = route
  .get('/canned-responses')
  .operationId('listCannedResponses')
  .summary('The shared canned responses and your own, by shortcut', TAG)
  .auth(cannedResponses.read.permission)
  .query(
    z.object({
      ...PageQuery,
      scope: z
        .enum(['all', 'shared', 'personal'])
        .default('all')
        .describe('shared: everyone’s; personal: your own; all: both'),
    }),
  )
  .response(200, pageOf(CannedResponseOut))
  .handle(async ({ query, actor, em }) => cannedResponsePage(em, actor, query))

export const listPlaceholders = route
  .get('/canned-responses/placeholders')
  .operationId('listCannedResponsePlaceholders')
  .summary('The placeholders a canned response may hold', TAG)
  .auth(cannedResponses.read.permission)
  .response(200, z.object({ items: z.array(PlaceholderOut) }))
  .handle(async () => ({ items: placeholderList() }))

export const getCannedResponse = route
  .get('/canned-responses/:id')
  .operationId('getCannedResponse')
  .summary('One canned response (shared, or your own)', TAG)
  .params(ResponseId)
  .auth(cannedResponses.read.permission)
  .response(200, CannedResponseOut)
  .handle(async ({ params, actor, em }) =>
    presentCannedResponse(await cannedResponseFor(em, actor, cannedResponses.read, params.id)),
  )

export const renderCannedResponse = route
  .get('/canned-responses/:id/rendered')
  .operationId('renderCannedResponse')
  .summary('The response’s body with its placeholders filled for a ticket and you', TAG)
  .params(ResponseId)
  .query(z.object({ ticketId: z.uuid() }))
  .auth(cannedResponses.read.permission)
  .response(200, RenderedOut)
  .handle(async ({ params, query, actor, em }) => {
    const response = await cannedResponseFor(em, actor, cannedResponses.read, params.id)
    const context = await placeholderContext(em, query.ticketId, actor.userId)
    if (!context) throw new HttpError('not_found', { detail: 'no such ticket' })
    authorize(actor, tickets.read, { requesterId: context.requesterId })
    return { body: fillPlaceholders(response.body, context) }
  })

export const createCannedResponseRoute = route
  .post('/canned-responses')
  .operationId('createCannedResponse')
  .summary('Add a response of your own, or (admins) a shared one', TAG)
  .auth(cannedResponses.writePersonal.permission)
  .body(NewCannedResponse)
  .response(201, CannedResponseOut)
  .response(409, undefined, 'The shortcut is taken (shortcut_taken)')
  .response(422, undefined, 'The body names an unknown placeholder (unknown_placeholder)')
  .handle(async ({ body, actor, ctx, em }) =>
    presentCannedResponse(await createCannedResponse(em, actor, auditOrigin(ctx, actor), body)),
  )

export const updateCannedResponseRoute = route
  .patch('/canned-responses/:id')
  .operationId('updateCannedResponse')
  .summary('Change your own response, or (admins) a shared one', TAG)
  .params(ResponseId)
  .auth(cannedResponses.writePersonal.permission)
  .body(CannedResponseChanges)
  .response(200, CannedResponseOut)
  .response(409, undefined, 'The shortcut is taken (shortcut_taken)')
  .response(422, undefined, 'The body names an unknown placeholder (unknown_placeholder)')
  .handle(async ({ params, body, actor, ctx, em }) =>
    presentCannedResponse(
      await updateCannedResponse(em, actor, auditOrigin(ctx, actor), params.id, body),
    ),
  )

export const deleteCannedResponseRoute = route
  .delete('/canned-responses/:id')
  .operationId('deleteCannedResponse')
  .summary('Delete your own response, or (admins) a shared one', TAG)
  .params(ResponseId)
  .auth(cannedResponses.writePersonal.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em }) => {
    await deleteCannedResponse(em, actor, auditOrigin(ctx, actor), params.id)
  })
