// The saved views table (Migration20261212090000_saved_views).
import { defineEntity, p } from '@mikro-orm/core'

/** A ticket-list query an agent keeps under a name; only its owner ever sees it. */
export const SavedView = defineEntity({
  name: 'SavedView',
  tableName: 'saved_views',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    userId: p.uuid(),
    name: p.text(),
    /** The ticket list's query string in its normal form (inputs.ts). */
    query: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type SavedViewEntity = InstanceType<typeof SavedView.class>

export const SAVED_VIEW_ENTITIES = [SavedView]
