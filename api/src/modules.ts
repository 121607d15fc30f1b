// The modules this API runs, in one list: the composition root. A new feature area adds its
// module here (see README "Extending").

import { accountsModule } from './accounts/module.ts'
import { attachmentsModule } from './attachments/module.ts'
import { auditModule } from './audit/module.ts'
import { cannedResponsesModule } from './canned-responses/module.ts'
import { channelsModule } from './channels/module.ts'
import { instanceModule } from './instance/module.ts'
import { jobsModule } from './jobs/module.ts'
import { liveModule } from './live/module.ts'
import { mailModule } from './mail/module.ts'
import { notificationsModule } from './notifications/module.ts'
import type { HelpdeskModule } from './platform/module.ts'
import { platformModule } from './platform/platform-module.ts'
import { privacyModule } from './privacy/module.ts'
import { savedViewsModule } from './saved-views/module.ts'
import { settingsModule } from './settings/module.ts'
import { systemModule } from './system/module.ts'
import { teamsModule } from './teams/module.ts'
import { ticketsModule } from './tickets/module.ts'

export const modules: readonly HelpdeskModule[] = [
  platformModule,
  instanceModule,
  accountsModule,
  auditModule,
  teamsModule,
  settingsModule,
  systemModule,
  privacyModule,
  jobsModule,
  ticketsModule,
  cannedResponsesModule,
  savedViewsModule,
  attachmentsModule,
  mailModule,
  notificationsModule,
  channelsModule,
  liveModule,
]
