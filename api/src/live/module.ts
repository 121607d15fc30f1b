import type { HelpdeskModule } from '../platform/module.ts'
import { announcePresence, leavePresence, streamEvents } from './routes.ts'

/** Live updates: one server-sent event stream per tab, fed by the event bus; presence. */
export const liveModule: HelpdeskModule = {
  name: 'live',
  routes: [streamEvents, announcePresence, leavePresence],
}
