// The accounts side of the authorization matrix: sign-in, MFA, tokens, users, teams,
// settings, audit log, GDPR and the platform's public routes.
import type { Asker, MatrixCases, Ownership, World } from './matrix.ts'

const everyone = (status: number) =>
  ({ anonymous: 401, customer: status, agent: status, admin: status }) as const
const adminsOnly = (status: number) =>
  ({ anonymous: 401, customer: 403, agent: 403, admin: status }) as const
const staff = (status: number) =>
  ({ anonymous: 401, customer: 403, agent: status, admin: status }) as const
const open = (status: number) =>
  ({ anonymous: status, customer: status, agent: status, admin: status }) as const

/** A token of the asker's (own) or of another customer's (other). */
async function tokenOf(world: World, asker: Asker, ownership: Ownership): Promise<string> {
  const owner = ownership === 'own' && asker.user ? asker.client : (await world.victim()).client
  const created = await owner.post('/auth/tokens', { name: 'matrix' })
  return (created.body as { id: string }).id
}

async function newTeam(world: World): Promise<string> {
  const admin = await world.admin()
  const created = await admin.post('/teams', { name: `matrix ${crypto.randomUUID()}` })
  return (created.body as { id: string }).id
}

export const accountCases: MatrixCases = {
  'GET /instance': {
    request: async () => ({ method: 'get', path: '/instance' }),
    expect: open(200),
  },
  'POST /auth/login': {
    // Signing in replaces the asker's session.
    freshAsker: true,
    request: async (world) => {
      const { user } = await world.freshSignedIn('customer')
      return {
        method: 'post',
        path: '/auth/login',
        body: { email: user.email, password: user.password },
      }
    },
    expect: open(200),
  },
  'POST /auth/logout': {
    freshAsker: true,
    request: async () => ({ method: 'post', path: '/auth/logout', body: {} }),
    expect: everyone(204),
  },
  'GET /auth/me': {
    request: async () => ({ method: 'get', path: '/auth/me' }),
    expect: everyone(200),
  },
  'GET /auth/session': {
    request: async () => ({ method: 'get', path: '/auth/session' }),
    expect: open(200),
  },
  'POST /auth/register': {
    request: async () => ({
      method: 'post',
      path: '/auth/register',
      body: {
        email: `${crypto.randomUUID()}@example.test`,
        name: 'N',
        password: 'long enough password',
      },
    }),
    // Sign-up is off by default: refused alike for everyone.
    expect: open(403),
  },
  'POST /auth/mfa/totp/setup': {
    freshAsker: true,
    request: async () => ({ method: 'post', path: '/auth/mfa/totp/setup' }),
    // Fresh admins are enrolled already.
    expect: { ...everyone(200), admin: 409 },
  },
  'POST /auth/mfa/totp/enable': {
    request: async () => ({
      method: 'post',
      path: '/auth/mfa/totp/enable',
      body: { code: '000000' },
    }),
    // Nobody started a setup (admins are enrolled): a conflict, past authorization.
    expect: everyone(409),
  },
  'POST /auth/mfa/totp/disable': {
    request: async () => ({
      method: 'post',
      path: '/auth/mfa/totp/disable',
      body: { code: '000000' },
    }),
    // Only admins have TOTP on; for them the code is wrong.
    expect: { ...everyone(409), admin: 422 },
  },
  'POST /auth/reauthenticate': {
    freshAsker: true,
    request: async (_world, asker) => ({
      method: 'post',
      path: '/auth/reauthenticate',
      body: { password: asker.user?.password ?? 'not signed in' },
    }),
    expect: everyone(200),
  },
  'POST /auth/mfa/recovery-codes': {
    request: async () => ({ method: 'post', path: '/auth/mfa/recovery-codes' }),
    // Only admins have TOTP on (it is enrolled with them).
    expect: { ...everyone(409), admin: 200 },
  },
  'GET /system/health': {
    request: async () => ({ method: 'get', path: '/system/health' }),
    expect: adminsOnly(200),
  },
  'GET /auth/tokens': {
    request: async () => ({ method: 'get', path: '/auth/tokens' }),
    expect: everyone(200),
  },
  'POST /auth/tokens': {
    request: async () => ({ method: 'post', path: '/auth/tokens', body: { name: 'matrix' } }),
    expect: everyone(201),
  },
  'DELETE /auth/tokens/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'delete',
      path: `/auth/tokens/${await tokenOf(world, asker, ownership)}`,
    }),
    expect: {
      anonymous: 401,
      customer: { own: 204, other: 404 },
      agent: { own: 204, other: 404 },
      admin: { own: 204, other: 404 },
    },
  },
  'GET /users': {
    request: async () => ({ method: 'get', path: '/users' }),
    expect: staff(200),
  },
  'POST /users': {
    request: async () => ({
      method: 'post',
      path: '/users',
      body: { email: `${crypto.randomUUID()}@example.test`, name: 'New', role: 'customer' },
    }),
    expect: adminsOnly(201),
  },
  'GET /users/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/users/${(await world.subject(asker, ownership)).id}`,
    }),
    expect: { anonymous: 401, customer: { own: 200, other: 404 }, agent: 200, admin: 200 },
  },
  'PATCH /users/:id': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'patch',
      path: `/users/${(await world.subject(asker, ownership)).id}`,
      body: { name: 'Renamed' },
    }),
    expect: {
      anonymous: 401,
      customer: { own: 200, other: 404 },
      agent: { own: 200, other: 403 },
      admin: 200,
    },
  },
  'DELETE /users/:id/mfa': {
    ownership: true,
    freshAsker: true,
    request: async (world, asker, ownership) => {
      const subject =
        ownership === 'own' && asker.user
          ? asker.user
          : (await world.freshSignedIn('customer')).user
      return { method: 'delete', path: `/users/${subject.id}/mfa` }
    },
    expect: adminsOnly(204),
  },
  'GET /users/:id/export': {
    ownership: true,
    request: async (world, asker, ownership) => ({
      method: 'get',
      path: `/users/${(await world.subject(asker, ownership)).id}/export`,
    }),
    expect: {
      anonymous: 401,
      customer: { own: 200, other: 404 },
      agent: { own: 200, other: 403 },
      admin: 200,
    },
  },
  'POST /users/:id/erase': {
    ownership: true,
    freshAsker: true,
    request: async (world, asker, ownership) => {
      const subject =
        ownership === 'own' && asker.user
          ? asker.user
          : (await world.freshSignedIn('customer')).user
      return { method: 'post', path: `/users/${subject.id}/erase` }
    },
    expect: adminsOnly(204),
  },
  'GET /teams': {
    request: async () => ({ method: 'get', path: '/teams' }),
    expect: staff(200),
  },
  'POST /teams': {
    request: async () => ({ method: 'post', path: '/teams', body: { name: crypto.randomUUID() } }),
    expect: adminsOnly(201),
  },
  'PATCH /teams/:id': {
    request: async (world) => ({
      method: 'patch',
      path: `/teams/${await newTeam(world)}`,
      body: { name: crypto.randomUUID() },
    }),
    expect: adminsOnly(200),
  },
  'DELETE /teams/:id': {
    request: async (world) => ({ method: 'delete', path: `/teams/${await newTeam(world)}` }),
    expect: adminsOnly(204),
  },
  'PUT /teams/:id/members': {
    request: async (world) => ({
      method: 'put',
      path: `/teams/${await newTeam(world)}/members`,
      body: { userIds: [] },
    }),
    expect: adminsOnly(200),
  },
  'GET /settings/public': {
    request: async () => ({ method: 'get', path: '/settings/public' }),
    expect: open(200),
  },
  'GET /settings': {
    request: async () => ({ method: 'get', path: '/settings' }),
    expect: adminsOnly(200),
  },
  'PUT /settings': {
    request: async () => ({ method: 'put', path: '/settings', body: {} }),
    expect: adminsOnly(200),
  },
  'GET /audit-events': {
    request: async () => ({ method: 'get', path: '/audit-events' }),
    expect: adminsOnly(200),
  },
}
