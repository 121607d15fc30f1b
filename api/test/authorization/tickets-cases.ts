// The tickets side of the authorization matrix: "own" is a ticket the asker requested,
// "other" one another customer requested. Customers get 404 for what is not theirs.
import type { Asker, MatrixCases, Ownership, World } from './matrix.ts'

const everyone = (status: number) =>
  ({ anonymous: 401, customer: status, agent: status, admin: status }) as const
const staff = (status: number) =>
  ({ anonymous: 401, customer: 403, agent: status, admin: status }) as const
/** The requester and staff may; another customer learns nothing. */
const requesterOrStaff = (status: number) =>
  ({ anonymous: 401, customer: { own: status, other: 404 }, agent: status, admin: status }) as const

/** A new ticket requested by the asker (own) or by another customer (other). */
async function ticketOf(world: World, asker: Asker, ownership: Ownership): Promise<string> {
  const requester = ownership === 'own' && asker.user ? asker.client : (await world.victim()).client
  const created = await requester.post('/tickets', { subject: 'Matrix', body: 'A question' })
  return (created.body as { id: string }).id
}

/** A file uploaded by the requester of a new ticket (the asker's own, or another customer's). */
async function attachmentOf(world: World, asker: Asker, ownership: Ownership): Promise<string> {
  const requester = ownership === 'own' && asker.user ? asker.client : (await world.victim()).client
  const ticketId = await ticketOf(world, asker, ownership)
  const body = new FormData()
  body.set('file', new Blob([Buffer.from('log line')]), 'log.txt')
  const response = await requester.fetch(`/tickets/${ticketId}/attachments`, {
    method: 'POST',
    body,
  })
  return ((await response.json()) as { id: string }).id
}

const SLA_TARGETS = [
  { priority: 'low', firstResponseMinutes: 1440, resolutionMinutes: 5760 },
  { priority: 'normal', firstResponseMinutes: 480, resolutionMinutes: 2880 },
  { priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 1440 },
  { priority: 'urgent', firstResponseMinutes: 60, resolutionMinutes: 240 },
]

export const ticketCases: MatrixCases = {
  // Any signed-in actor may open the stream; what it carries is decided per event
  // (test/live/events.test.ts).
  'GET /events': {
    request: async () => ({ method: 'get', path: '/events' }),
    expect: everyone(200),
  },
  'GET /tickets': {
    request: async () => ({ method: 'get', path: '/tickets?status=new,open&sort=due' }),
    expect: everyone(200),
  },
  'GET /tickets/count': {
    request: async () => ({ method: 'get', path: '/tickets/count?assigneeId=none' }),
    expect: everyone(200),
  },
  'POST /tickets': {
    request: async () => ({
      method: 'post',
      path: '/tickets',
      body: { subject: 'Matrix', body: 'A question' },
    }),
    expect: everyone(201),
  },
  'GET /tickets/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/tickets/${await ticketOf(world, asker, ownership)}`,
    }),
    expect: requesterOrStaff(200),
  },
  'PATCH /tickets/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'patch',
      path: `/tickets/${await ticketOf(world, asker, ownership)}`,
      body: { status: 'solved' },
    }),
    expect: requesterOrStaff(200),
  },
  // A customer is refused before any ticket is looked at, even one of their own.
  'POST /tickets/bulk': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'post',
      path: '/tickets/bulk',
      body: { ticketIds: [await ticketOf(world, asker, ownership)], change: { status: 'solved' } },
    }),
    expect: { anonymous: 401, customer: { own: 403, other: 403 }, agent: 200, admin: 200 },
  },
  'GET /tickets/:id/messages': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/messages`,
    }),
    expect: requesterOrStaff(200),
  },
  'POST /tickets/:id/messages': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'post',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/messages`,
      body: { body: 'More detail' },
    }),
    expect: requesterOrStaff(201),
  },
  // Presence is staff's among themselves: a customer may not announce it, even on their own
  // ticket (test/live/presence.test.ts).
  'PUT /tickets/:id/presence': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'put',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/presence`,
      body: { state: 'viewing' },
    }),
    expect: staff(200),
  },
  'DELETE /tickets/:id/presence': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'delete',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/presence`,
    }),
    expect: staff(204),
  },
  'GET /tickets/:id/events': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/events`,
    }),
    expect: requesterOrStaff(200),
  },
  'POST /tickets/:id/attachments': {
    ownership: true,
    // The matrix sends JSON: past authorization, an upload route wants multipart (415).
    request: async (world, asker, ownership) => ({
      method: 'post',
      path: `/tickets/${await ticketOf(world, asker, ownership)}/attachments`,
      body: {},
    }),
    expect: requesterOrStaff(415),
  },
  'GET /attachments/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/attachments/${await attachmentOf(world, asker, ownership)}`,
    }),
    expect: requesterOrStaff(200),
  },
  'GET /attachments/:id/preview': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/attachments/${await attachmentOf(world, asker, ownership)}/preview`,
    }),
    // The world's files are text: past authorization, not an image to preview (409).
    expect: requesterOrStaff(409),
  },
  'DELETE /attachments/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'delete',
      path: `/attachments/${await attachmentOf(world, asker, ownership)}`,
    }),
    // Own: the asker uploaded it; staff delete anyone's.
    expect: requesterOrStaff(204),
  },
  'GET /sla-policies': {
    request: async () => ({ method: 'get', path: '/sla-policies' }),
    expect: staff(200),
  },
  'PUT /sla-policies': {
    request: async () => ({ method: 'put', path: '/sla-policies', body: { items: SLA_TARGETS } }),
    expect: { anonymous: 401, customer: 403, agent: 403, admin: 200 },
  },
}
