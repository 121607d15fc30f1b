import { definePolicy, type PolicyActor } from '../policies/policy.ts'

export interface SavedViewTarget {
  userId: string
}

const own = (actor: PolicyActor, view: SavedViewTarget) => view.userId === actor.userId

/**
 * A saved view is its owner's alone: nobody else, admins included, sees it (404) or changes
 * it. Customers have none; their ticket list has no filters worth keeping.
 */
export const savedViews = definePolicy<SavedViewTarget>()(
  'saved-views',
  {
    read: { agent: own, admin: own },
    write: { agent: own, admin: own },
  },
  { visible: { agent: own, admin: own } },
)
