// The mail side of the authorization matrix: Admin → Email (settings, test mail, outbox,
// channels), one's own notification choices, unsubscribe links and the password lifecycle.
import type { MatrixCases, World } from './matrix.ts'

const everyone = (status: number) =>
  ({ anonymous: 401, customer: status, agent: status, admin: status }) as const
const adminsOnly = (status: number) =>
  ({ anonymous: 401, customer: 403, agent: 403, admin: status }) as const
const open = (status: number) =>
  ({ anonymous: status, customer: status, agent: status, admin: status }) as const

/** A mail in the outbox (no SMTP server here: it is kept), made by the world's admin. */
async function outboxItem(world: World): Promise<string> {
  const admin = await world.admin()
  const sent = await admin.post('/mail/test', { to: 'matrix@example.test' })
  return (sent.body as { id: string }).id
}

/** An admin's channel to a server that does not exist (it only fails to connect). */
async function channel(world: World): Promise<string> {
  const admin = await world.admin()
  const created = await admin.post('/mail/channels', channelBody())
  return (created.body as { id: string }).id
}

function channelBody() {
  const name = `m${crypto.randomUUID().slice(0, 8)}`
  return {
    name,
    address: `${name}@example.test`,
    host: 'imap.invalid',
    port: 993,
    security: 'tls',
    username: name,
    password: 'not a real password',
  }
}

/** 43 characters of the token alphabet that no link ever carried. */
const UNKNOWN_TOKEN = 'x'.repeat(43)

export const mailCases: MatrixCases = {
  'GET /mail/settings': {
    request: async () => ({ method: 'get', path: '/mail/settings' }),
    expect: adminsOnly(200),
  },
  'PUT /mail/settings': {
    request: async () => ({ method: 'put', path: '/mail/settings', body: {} }),
    expect: adminsOnly(200),
  },
  'POST /mail/test': {
    request: async () => ({
      method: 'post',
      path: '/mail/test',
      body: { to: 'matrix@example.test' },
    }),
    expect: adminsOnly(202),
  },
  'GET /mail/outbox': {
    request: async () => ({ method: 'get', path: '/mail/outbox' }),
    expect: adminsOnly(200),
  },
  'GET /mail/outbox/:id': {
    request: async (world) => ({ method: 'get', path: `/mail/outbox/${await outboxItem(world)}` }),
    expect: adminsOnly(200),
  },
  'POST /mail/outbox/:id/retry': {
    request: async (world) => ({
      method: 'post',
      path: `/mail/outbox/${await outboxItem(world)}/retry`,
    }),
    expect: adminsOnly(200),
  },
  'GET /mail/channels': {
    request: async () => ({ method: 'get', path: '/mail/channels' }),
    expect: adminsOnly(200),
  },
  'POST /mail/channels': {
    request: async () => ({ method: 'post', path: '/mail/channels', body: channelBody() }),
    expect: adminsOnly(201),
  },
  'GET /mail/channels/:id': {
    request: async (world) => ({ method: 'get', path: `/mail/channels/${await channel(world)}` }),
    expect: adminsOnly(200),
  },
  'PATCH /mail/channels/:id': {
    request: async (world) => ({
      method: 'patch',
      path: `/mail/channels/${await channel(world)}`,
      body: { enabled: false },
    }),
    expect: adminsOnly(200),
  },
  'DELETE /mail/channels/:id': {
    request: async (world) => ({
      method: 'delete',
      path: `/mail/channels/${await channel(world)}`,
    }),
    expect: adminsOnly(204),
  },
  'GET /mail/channels/:id/messages': {
    request: async (world) => ({
      method: 'get',
      path: `/mail/channels/${await channel(world)}/messages`,
    }),
    expect: adminsOnly(200),
  },
  'GET /account/notifications': {
    request: async () => ({ method: 'get', path: '/account/notifications' }),
    expect: everyone(200),
  },
  'PUT /account/notifications': {
    request: async () => ({ method: 'put', path: '/account/notifications', body: {} }),
    expect: everyone(200),
  },
  'POST /notifications/unsubscribe': {
    request: async () => ({
      method: 'post',
      path: `/notifications/unsubscribe?token=${UNKNOWN_TOKEN}`,
    }),
    expect: open(404),
  },
  'POST /auth/password/forgot': {
    request: async () => ({
      method: 'post',
      path: '/auth/password/forgot',
      body: { email: `${crypto.randomUUID()}@example.test` },
    }),
    expect: open(202),
  },
  'POST /auth/password/reset': {
    request: async () => ({
      method: 'post',
      path: '/auth/password/reset',
      body: { token: UNKNOWN_TOKEN, password: 'a long enough new password' },
    }),
    // Authorized for anyone; the link is the proof, and this one was never issued (422).
    expect: open(422),
  },
  'POST /auth/password': {
    // Changing the password ends the asker's other sessions and revokes tokens.
    freshAsker: true,
    request: async (_world, asker) => ({
      method: 'post',
      path: '/auth/password',
      body: {
        currentPassword: asker.user?.password ?? 'not signed in at all',
        newPassword: `${crypto.randomUUID()} new password`,
      },
    }),
    expect: everyone(200),
  },
  'POST /auth/verify-email': {
    request: async () => ({
      method: 'post',
      path: '/auth/verify-email',
      body: { token: UNKNOWN_TOKEN },
    }),
    expect: open(422),
  },
  'POST /users/:id/invitation': {
    request: async (world) => ({
      method: 'post',
      path: `/users/${(await world.victim()).user.id}/invitation`,
    }),
    expect: adminsOnly(202),
  },
}
