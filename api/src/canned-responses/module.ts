import { Migration20261211090000_canned_responses } from '../db/migrations/Migration20261211090000_canned_responses.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { CANNED_RESPONSE_ENTITIES } from './entities.ts'
import {
  createCannedResponseRoute,
  deleteCannedResponseRoute,
  getCannedResponse,
  listCannedResponses,
  listPlaceholders,
  renderCannedResponse,
  updateCannedResponseRoute,
} from './routes.ts'

/** Replies agents insert by shortcut: shared ones (admins') and each person's own. */
export const cannedResponsesModule: HelpdeskModule = {
  name: 'canned-responses',
  entities: CANNED_RESPONSE_ENTITIES,
  migrations: [
    {
      name: 'Migration20261211090000_canned_responses',
      class: Migration20261211090000_canned_responses,
    },
  ],
  // The fixed path before the one with a parameter that would also match it.
  routes: [
    listCannedResponses,
    listPlaceholders,
    getCannedResponse,
    renderCannedResponse,
    createCannedResponseRoute,
    updateCannedResponseRoute,
    deleteCannedResponseRoute,
  ],
}
