import { Migration20261210090100_notifications } from '../db/migrations/Migration20261210090100_notifications.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { deliverNotifications } from './deliver-job.ts'
import {
  getNotificationPreferences,
  unsubscribeRoute,
  updateNotificationPreferences,
} from './routes.ts'

/** Who hears about what happens to tickets, by mail, combined within a short window. */
export const notificationsModule: HelpdeskModule = {
  name: 'notifications',
  migrations: [
    {
      name: 'Migration20261210090100_notifications',
      class: Migration20261210090100_notifications,
    },
  ],
  routes: [getNotificationPreferences, updateNotificationPreferences, unsubscribeRoute],
  jobs: [deliverNotifications],
}
