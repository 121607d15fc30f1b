import { Migration20261128080000_platform } from '../db/migrations/Migration20261128080000_platform.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { AppSetting } from './entities.ts'
import { getInstance } from './routes.ts'

/**
 * The installation itself: its id (told apart from others, and its backups), its version,
 * and the app_setting table that instance-wide values live in (settings/ keeps its own there).
 */
export const instanceModule: HelpdeskModule = {
  name: 'instance',
  entities: [AppSetting],
  migrations: [
    { name: 'Migration20261128080000_platform', class: Migration20261128080000_platform },
  ],
  routes: [getInstance],
}
