import type { HelpdeskModule } from '../platform/module.ts'
import { getPublicSettings, getSettings, updateSettings } from './routes.ts'

/** Instance settings admins change at run time (self sign-up, MFA for agents). */
export const settingsModule: HelpdeskModule = {
  name: 'settings',
  routes: [getPublicSettings, getSettings, updateSettings],
}
