import { Migration20261212090000_saved_views } from '../db/migrations/Migration20261212090000_saved_views.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { SAVED_VIEW_ENTITIES } from './entities.ts'
import {
  createSavedViewRoute,
  deleteSavedViewRoute,
  listSavedViews,
  updateSavedViewRoute,
} from './routes.ts'

/** Ticket-list queries each agent keeps under a name, listed in their navigation. */
export const savedViewsModule: HelpdeskModule = {
  name: 'saved-views',
  entities: SAVED_VIEW_ENTITIES,
  migrations: [
    { name: 'Migration20261212090000_saved_views', class: Migration20261212090000_saved_views },
  ],
  routes: [listSavedViews, createSavedViewRoute, updateSavedViewRoute, deleteSavedViewRoute],
}
