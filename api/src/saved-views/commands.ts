// Writes of the saved views area. A view is its owner's alone, so nothing here is audited.
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { defineErrorType, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize } from '../policies/policy.ts'
import { SavedView, type SavedViewEntity } from './entities.ts'
import { type NewSavedView, type SavedViewChanges, viewQuery } from './inputs.ts'
import { savedViews } from './policy.ts'
import { savedViewFor } from './queries.ts'

export const VIEW_NAME_TAKEN = defineErrorType('view_name_taken', {
  status: 409,
  title: 'You already have a view with this name',
})

/** Enough for every queue a person works from; the navigation lists them all. */
export const MAX_SAVED_VIEWS = 50

export const TOO_MANY_SAVED_VIEWS = defineErrorType('too_many_saved_views', {
  status: 422,
  title: `A person keeps at most ${MAX_SAVED_VIEWS} saved views`,
})

export async function createSavedView(
  em: EntityManager,
  actor: Actor,
  input: NewSavedView,
): Promise<SavedViewEntity> {
  authorize(actor, savedViews.write, { userId: actor.userId })
  const query = viewQuery(input.query)
  return em.transactional(async (tx) => {
    await assertRoomForAnother(tx, actor.userId)
    const view = tx.create(SavedView, { userId: actor.userId, name: input.name, query })
    await flushUnique(tx, input.name)
    return view
  })
}

export async function updateSavedView(
  em: EntityManager,
  actor: Actor,
  id: string,
  input: SavedViewChanges,
): Promise<SavedViewEntity> {
  const query = input.query === undefined ? undefined : viewQuery(input.query)
  return em.transactional(async (tx) => {
    const view = await savedViewFor(tx, actor, savedViews.write, id)
    if (input.name !== undefined) view.name = input.name
    if (query !== undefined) view.query = query
    await flushUnique(tx, view.name)
    return view
  })
}

export async function deleteSavedView(em: EntityManager, actor: Actor, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    tx.remove(await savedViewFor(tx, actor, savedViews.write, id))
    await tx.flush()
  })
}

/**
 * Counts the person's views under a lock on their users row: two creations at once take turns
 * here, so the second counts the first and the limit holds.
 */
async function assertRoomForAnother(em: EntityManager, userId: string): Promise<void> {
  await em.execute('select 1 from users where id = ? for update', [userId])
  if ((await em.count(SavedView, { userId })) < MAX_SAVED_VIEWS) return
  throw new HttpError(TOO_MANY_SAVED_VIEWS, {
    detail: `you have ${MAX_SAVED_VIEWS} saved views already: delete one to save another`,
  })
}

/** The unique index (owner, lower(name)) decides, so two requests at once cannot both win. */
async function flushUnique(em: EntityManager, name: string): Promise<void> {
  try {
    await em.flush()
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error
    throw new HttpError(VIEW_NAME_TAKEN, {
      detail: `you already have a view named ${name}`,
      errors: [{ path: 'body.name', message: 'you already have a view with this name' }],
    })
  }
}
