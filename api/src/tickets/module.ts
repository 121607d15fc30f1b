import { Migration20261128100000_tickets } from '../db/migrations/Migration20261128100000_tickets.ts'
import { Migration20261128110000_search_recency } from '../db/migrations/Migration20261128110000_search_recency.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { slaBreachCheck } from './breach-job.ts'
import { TICKET_ENTITIES } from './entities.ts'
import { listEvents, listMessages, postMessage } from './message-routes.ts'
import {
  countTicketsRoute,
  createTicketRoute,
  getTicket,
  listTickets,
  updateTicketRoute,
  updateTicketsRoute,
} from './routes.ts'
import { listSlaPolicies, replaceSlaPolicies } from './sla-routes.ts'

/** Tickets, messages, history, SLA targets and the SLA breach job. */
export const ticketsModule: HelpdeskModule = {
  name: 'tickets',
  entities: TICKET_ENTITIES,
  migrations: [
    { name: 'Migration20261128100000_tickets', class: Migration20261128100000_tickets },
    {
      name: 'Migration20261128110000_search_recency',
      class: Migration20261128110000_search_recency,
    },
  ],
  routes: [
    listTickets,
    // Before GET /tickets/:id, which would take "count" for an id.
    countTicketsRoute,
    createTicketRoute,
    getTicket,
    updateTicketRoute,
    updateTicketsRoute,
    listMessages,
    postMessage,
    listEvents,
    listSlaPolicies,
    replaceSlaPolicies,
  ],
  jobs: [slaBreachCheck],
}
