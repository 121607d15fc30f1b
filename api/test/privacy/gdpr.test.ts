// GDPR export and erasure, end to end through the API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { User } from '../../src/accounts/entities.ts'
import {
  type ApiClient,
  anonymous,
  appWithAdmin,
  createTestUser,
  signedInAs,
  signIn,
} from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
})
afterAll(() => api.close())

describe('export', () => {
  it('gives a user everything stored about them, as a JSON download', async () => {
    const { user, client } = await signedInAs(api, { role: 'agent' })
    await client.post('/auth/tokens', { name: 'my script' })
    const team = (await admin.post('/teams', { name: `Export ${user.id}` })).body as { id: string }
    await admin.put(`/teams/${team.id}/members`, { userIds: [user.id] })

    const answer = await client.get(`/users/${user.id}/export`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="user-${user.id}.json"`,
    )
    const document = answer.body as Record<string, unknown>
    expect(document).toMatchObject({
      userId: user.id,
      profile: { id: user.id, email: user.email, name: user.name, role: 'agent' },
      teams: [{ id: team.id }],
      apiTokens: [{ name: 'my script', lastUsedAt: null }],
    })
    expect(JSON.stringify(document)).not.toMatch(/hash|secret|\$argon2/i)
    const actions = (document.auditEvents as { action: string }[]).map((event) => event.action)
    expect(actions).toEqual(expect.arrayContaining(['auth.login_succeeded', 'auth.token_created']))
  })

  it('is the user’s own or an admin’s: others get 404, and the export is audited', async () => {
    const { user, client } = await signedInAs(api, { role: 'customer' })
    const other = await createTestUser(api, { role: 'customer' })
    expect((await client.get(`/users/${other.id}/export`)).status).toBe(404)
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    expect((await agent.get(`/users/${user.id}/export`)).status).toBe(403)
    expect((await admin.get(`/users/${user.id}/export`)).status).toBe(200)
    const audited = await admin.get(`/audit-events?action=user.exported&limit=1`)
    expect(audited.body).toMatchObject({ items: [{ targetId: user.id }] })
  })

  it('holds the subject’s own data only: no addresses or user agents of others', async () => {
    const { user, client } = await signedInAs(api, { role: 'customer' })
    const as = (agent: string) => ({ headers: { 'User-Agent': agent } })
    await client.get('/auth/me', as('CustomerBrowser/1.0'))
    // Staff act on them; someone tries their password.
    await admin.patch(`/users/${user.id}`, { mfaRequired: true }, as('StaffBrowser/9.9'))
    await admin.patch(`/users/${user.id}`, { mfaRequired: false }, as('StaffBrowser/9.9'))
    await anonymous(api).post(
      '/auth/login',
      { email: user.email, password: 'guess guess' },
      as('Attacker/6.6'),
    )
    const signedIn = await anonymous(api).post(
      '/auth/login',
      { email: user.email, password: user.password },
      as('CustomerBrowser/1.0'),
    )
    expect(signedIn.status).toBe(200)

    const exported = await client.get(`/users/${user.id}/export`)
    const text = JSON.stringify(exported.body)
    expect(text).not.toContain('StaffBrowser')
    expect(text).not.toContain('Attacker')
    const events = (exported.body as { auditEvents: Record<string, unknown>[] }).auditEvents
    expect(events.filter((event) => event.action === 'user.mfa_requirement_changed')).toEqual([
      expect.objectContaining({ byThem: false, ip: null, userAgent: null }),
      expect.objectContaining({ byThem: false, ip: null, userAgent: null }),
    ])
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'auth.login_succeeded',
        byThem: true,
        ip: expect.any(String),
        userAgent: 'CustomerBrowser/1.0',
      }),
    )
  })
})

describe('erasure', () => {
  it('anonymises the person, ends their sessions and tokens, and is audited', async () => {
    const { user, client } = await signedInAs(api, { role: 'agent', mfa: true })
    const token = ((await client.post('/auth/tokens', { name: 'x' })).body as { token: string })
      .token
    const team = (await admin.post('/teams', { name: `Erase ${user.id}` })).body as { id: string }
    await admin.put(`/teams/${team.id}/members`, { userIds: [user.id] })

    expect((await admin.post(`/users/${user.id}/erase`)).status).toBe(204)

    expect((await client.get('/auth/me')).status).toBe(401)
    const bearer = await anonymous(api).get('/auth/me', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(bearer.status).toBe(401)
    const login = await anonymous(api).post('/auth/login', {
      email: user.email,
      password: user.password,
    })
    expect(login.status).toBe(401)

    const row = await api.app.services.orm.em.fork().findOneOrFail(User, { id: user.id })
    expect(row).toMatchObject({
      name: 'Erased user',
      email: `erased-${user.id}@erased.invalid`,
      passwordHash: null,
      totpSecret: null,
      mfaEnabled: false,
      erasedAt: expect.any(Date),
    })
    const teams = (await admin.get('/teams?limit=100')).body as {
      items: { id: string; members: unknown[] }[]
    }
    expect(teams.items.find((item) => item.id === team.id)?.members).toEqual([])
    expect((await admin.get(`/users/${user.id}`)).status).toBe(404)
    expect((await admin.get(`/users/${user.id}/export`)).status).toBe(404)
    expect((await admin.post(`/users/${user.id}/erase`)).status).toBe(404)

    // The audit trail keeps its events, now naming nobody.
    const events = (await admin.get(`/audit-events?actorId=${user.id}`)).body as {
      items: { actor: { name: string } }[]
    }
    expect(events.items.length).toBeGreaterThan(0)
    expect(events.items.every((event) => event.actor.name === 'Erased user')).toBe(true)
    expect(JSON.stringify(events)).not.toContain(user.email)
    const erased = await admin.get('/audit-events?action=user.erased&limit=1')
    expect(erased.body).toMatchObject({ items: [{ targetId: user.id }] })
  })

  it('frees the email for a new account', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    await admin.post(`/users/${user.id}/erase`)
    const again = await admin.post('/users', {
      email: user.email,
      name: 'Comes Back',
      role: 'customer',
    })
    expect(again.status).toBe(201)
  })

  it('is for admins only', async () => {
    const { user, client } = await signedInAs(api, { role: 'customer' })
    expect((await client.post(`/users/${user.id}/erase`)).status).toBe(403)
    const agent = await signIn(api, await createTestUser(api, { role: 'agent' }))
    expect((await agent.post(`/users/${user.id}/erase`)).status).toBe(403)
  })
})
