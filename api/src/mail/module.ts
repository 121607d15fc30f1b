import { Migration20261210090000_mail } from '../db/migrations/Migration20261210090000_mail.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import {
  getMailSettings,
  getOutboundMail,
  listOutbox,
  retryOutboundMail,
  sendTestMail,
  updateMailSettings,
} from './routes.ts'
import { sendMailJob } from './send-job.ts'
import { closeTransport } from './transport.ts'

/** Outgoing mail: the outbox, its send job, ticket threads, and Admin → Email. */
export const mailModule: HelpdeskModule = {
  name: 'mail',
  migrations: [{ name: 'Migration20261210090000_mail', class: Migration20261210090000_mail }],
  routes: [
    getMailSettings,
    updateMailSettings,
    sendTestMail,
    listOutbox,
    getOutboundMail,
    retryOutboundMail,
  ],
  jobs: [sendMailJob],
  background: (services) => async () => closeTransport(services),
}
