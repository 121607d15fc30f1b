import type { HelpdeskModule } from '../platform/module.ts'
import { getSystemHealth } from './routes.ts'

/** The installation's own state, for admins. */
export const systemModule: HelpdeskModule = {
  name: 'system',
  routes: [getSystemHealth],
}
