// The canned responses side of the authorization matrix: "own" is a response of the asker's
// own (for staff), "other" another agent's own — which nobody else may even see (404).
// Customers never get past the route (403).
import {
  type Asker,
  type MatrixCases,
  type Ownership,
  ownersOnly,
  staffOnly,
  type World,
} from './matrix.ts'

/** A personal response of the asker (own, staff only) or of another agent (other). */
async function responseOf(world: World, asker: Asker, ownership: Ownership): Promise<string> {
  const mine = ownership === 'own' && (asker.kind === 'agent' || asker.kind === 'admin')
  const owner = mine ? asker.client : await world.otherAgent()
  const created = await owner.post('/canned-responses', {
    shortcut: `m-${crypto.randomUUID()}`,
    title: 'Matrix',
    body: 'Hello {{customer.name}}',
  })
  return (created.body as { id: string }).id
}

async function ticket(world: World): Promise<string> {
  const created = await (await world.victim()).client.post('/tickets', {
    subject: 'Matrix',
    body: 'A question',
  })
  return (created.body as { id: string }).id
}

export const cannedResponseCases: MatrixCases = {
  'GET /canned-responses': {
    request: async () => ({ method: 'get', path: '/canned-responses' }),
    expect: staffOnly(200),
  },
  'GET /canned-responses/placeholders': {
    request: async () => ({ method: 'get', path: '/canned-responses/placeholders' }),
    expect: staffOnly(200),
  },
  'GET /canned-responses/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/canned-responses/${await responseOf(world, asker, ownership)}`,
    }),
    expect: ownersOnly(200),
  },
  'GET /canned-responses/:id/rendered': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/canned-responses/${await responseOf(world, asker, ownership)}/rendered?ticketId=${await ticket(world)}`,
    }),
    expect: ownersOnly(200),
  },
  'POST /canned-responses': {
    // Own: a personal response; other: a shared one, which only admins keep.
    ownership: true,
    request: async (_world, _asker, ownership) => ({
      method: 'post',
      path: '/canned-responses',
      body: {
        shortcut: `m-${crypto.randomUUID()}`,
        title: 'Matrix',
        body: 'Thanks',
        shared: ownership === 'other',
      },
    }),
    expect: { anonymous: 401, customer: 403, agent: { own: 201, other: 403 }, admin: 201 },
  },
  'PATCH /canned-responses/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'patch',
      path: `/canned-responses/${await responseOf(world, asker, ownership)}`,
      body: { title: 'Changed' },
    }),
    expect: ownersOnly(200),
  },
  'DELETE /canned-responses/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'delete',
      path: `/canned-responses/${await responseOf(world, asker, ownership)}`,
    }),
    expect: ownersOnly(204),
  },
}
