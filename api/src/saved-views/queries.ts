// Reads of the saved views area: a person's own views, and one of them.
import type { EntityManager } from '@mikro-orm/postgresql'
import { sql } from '@mikro-orm/postgresql'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize, type PolicyAction } from '../policies/policy.ts'
import { SavedView, type SavedViewEntity } from './entities.ts'
import type { SavedViewTarget } from './policy.ts'

/** The person's views by name as people read names: `billing` beside `Billing`, not after `Zed`. */
export async function ownSavedViews(em: EntityManager, userId: string) {
  return em.find(
    SavedView,
    { userId },
    { orderBy: [{ [sql.lower('name')]: 'asc' }, { id: 'asc' }] },
  )
}

/** The view, if the actor may see it (404 otherwise: nobody learns of another's views). */
export async function savedViewFor(
  em: EntityManager,
  actor: Actor,
  action: PolicyAction<SavedViewTarget>,
  id: string,
): Promise<SavedViewEntity> {
  const view = await em.findOne(SavedView, { id })
  if (!view) throw new HttpError('not_found', { detail: 'no such saved view' })
  authorize(actor, action, { userId: view.userId })
  return view
}
