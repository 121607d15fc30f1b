// Saved views: ticket-list queries each agent keeps under a name, theirs alone. Staff only.
import { z } from 'zod'
import { route } from '../routes/define.ts'
import { createSavedView, deleteSavedView, updateSavedView } from './commands.ts'
import { NewSavedView, SavedViewChanges } from './inputs.ts'
import { savedViews } from './policy.ts'
import { presentSavedView, SavedViewOut } from './presenters.ts'
import { ownSavedViews } from './queries.ts'

const ViewId = z.object({ id: z.uuid() })
const TAG = 'saved views'
const QUERY_REFUSED =
  'The ticket list refuses the query, or it holds limit or cursor (view_query_refused)'

export const listSavedViews = route
  .get('/saved-views')
  .operationId('listSavedViews')
  .summary('Your saved views, by name (at most 50, so no pages)', TAG)
  .auth(savedViews.read.permission)
  .response(200, z.object({ items: z.array(SavedViewOut) }))
  .handle(async ({ actor, em }) => ({
    items: (await ownSavedViews(em, actor.userId)).map(presentSavedView),
  }))

export const createSavedViewRoute = route
  .post('/saved-views')
  .operationId('createSavedView')
  .summary('Save a ticket-list query under a name', TAG)
  .auth(savedViews.write.permission)
  .body(NewSavedView)
  .response(201, SavedViewOut)
  .response(409, undefined, 'You have a view with this name (view_name_taken)')
  .response(422, undefined, `${QUERY_REFUSED}, or you have 50 views (too_many_saved_views)`)
  .handle(async ({ body, actor, em }) => presentSavedView(await createSavedView(em, actor, body)))

export const updateSavedViewRoute = route
  .patch('/saved-views/:id')
  .operationId('updateSavedView')
  .summary('Rename one of your views or change its query', TAG)
  .params(ViewId)
  .auth(savedViews.write.permission)
  .body(SavedViewChanges)
  .response(200, SavedViewOut)
  .response(409, undefined, 'You have another view with this name (view_name_taken)')
  .response(422, undefined, QUERY_REFUSED)
  .handle(async ({ params, body, actor, em }) =>
    presentSavedView(await updateSavedView(em, actor, params.id, body)),
  )

export const deleteSavedViewRoute = route
  .delete('/saved-views/:id')
  .operationId('deleteSavedView')
  .summary('Delete one of your views', TAG)
  .params(ViewId)
  .auth(savedViews.write.permission)
  .response(204)
  .handle(async ({ params, actor, em }) => {
    await deleteSavedView(em, actor, params.id)
  })
