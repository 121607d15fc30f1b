import { AppSetting } from '../db/entities/app-setting.ts'
import { Migration20261128080000_platform } from '../db/migrations/Migration20261128080000_platform.ts'
import { getInstance } from '../routes/instance.ts'
import type { HelpdeskModule } from './module.ts'
import { PLATFORM_RATE_LIMITS } from './rate-limits.ts'

export const platformModule: HelpdeskModule = {
  name: 'platform',
  entities: [AppSetting],
  migrations: [
    { name: 'Migration20261128080000_platform', class: Migration20261128080000_platform },
  ],
  routes: [getInstance],
  rateLimits: PLATFORM_RATE_LIMITS,
}
