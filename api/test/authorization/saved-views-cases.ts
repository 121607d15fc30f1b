// The saved views side of the authorization matrix: "own" is a view of the asker's (for
// staff), "other" another agent's — which nobody else, admins included, may even see (404).
// Customers never get past the route (403).
import {
  type Asker,
  type MatrixCases,
  type Ownership,
  ownersOnly,
  staffOnly,
  type World,
} from './matrix.ts'

const newView = () => ({ name: `m-${crypto.randomUUID()}`, query: 'status=open' })

/** A view of the asker (own, staff only) or of another agent (other). */
async function viewOf(world: World, asker: Asker, ownership: Ownership): Promise<string> {
  const mine = ownership === 'own' && (asker.kind === 'agent' || asker.kind === 'admin')
  const owner = mine ? asker.client : await world.otherAgent()
  return ((await owner.post('/saved-views', newView())).body as { id: string }).id
}

export const savedViewCases: MatrixCases = {
  'GET /saved-views': {
    request: async () => ({ method: 'get', path: '/saved-views' }),
    expect: staffOnly(200),
  },
  'POST /saved-views': {
    request: async () => ({ method: 'post', path: '/saved-views', body: newView() }),
    expect: staffOnly(201),
  },
  'PATCH /saved-views/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'patch',
      path: `/saved-views/${await viewOf(world, asker, ownership)}`,
      body: { name: `m-${crypto.randomUUID()}` },
    }),
    expect: ownersOnly(200),
  },
  'DELETE /saved-views/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'delete',
      path: `/saved-views/${await viewOf(world, asker, ownership)}`,
    }),
    expect: ownersOnly(204),
  },
}
