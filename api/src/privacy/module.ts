import type { HelpdeskModule } from '../platform/module.ts'
import { eraseUser, exportUser } from './routes.ts'

/** GDPR export and erasure across every feature's personal data (privacy/sources.ts). */
export const privacyModule: HelpdeskModule = {
  name: 'privacy',
  routes: [exportUser, eraseUser],
}
