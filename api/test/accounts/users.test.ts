// Users: listing and search, creation, profile changes, roles, MFA requirements.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  type ApiClient,
  anonymous,
  appWithAdmin,
  createTestUser,
  enrolTotp,
  signedInAs,
  signIn,
} from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
})
afterAll(() => api.close())

describe('creating users', () => {
  it('creates a user with the contract’s shape, never a hash', async () => {
    const padded = await admin.post('/users', {
      email: '  Grace.Hopper@Example.COM ',
      name: 'Grace Hopper',
      role: 'agent',
    })
    expect(padded.status).toBe(400)
    expect(padded.body).toMatchObject({ errors: [{ path: 'body.email' }] })
    const answer = await admin.post('/users', {
      email: 'Grace.Hopper@Example.COM',
      name: 'Grace Hopper',
      role: 'agent',
      password: 'a long enough password',
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      id: expect.any(String),
      email: 'grace.hopper@example.com',
      name: 'Grace Hopper',
      role: 'agent',
      mfaEnabled: false,
      mfaRequired: false,
      createdAt: expect.any(String),
    })
    const login = await anonymous(api).post('/auth/login', {
      email: 'GRACE.HOPPER@example.com',
      password: 'a long enough password',
    })
    expect(login.status).toBe(200)
  })

  it('refuses a taken email in any case with 409', async () => {
    const taken = await createTestUser(api, { role: 'customer' })
    const answer = await admin.post('/users', {
      email: taken.email.toUpperCase(),
      name: 'Someone Else',
      role: 'customer',
    })
    expect(answer.status).toBe(409)
    expect(answer.body).toMatchObject({ type: 'conflict', errors: [{ path: 'body.email' }] })
  })

  it('answers bad input with every field path, and unknown fields too', async () => {
    const answer = await admin.post('/users', {
      email: 'not-an-email',
      name: '',
      role: 'superuser',
      password: 'short',
      isAdmin: true,
    })
    expect(answer.status).toBe(400)
    const paths = (answer.body as { errors: { path: string }[] }).errors.map((error) => error.path)
    expect(paths).toEqual(
      expect.arrayContaining(['body.email', 'body.name', 'body.role', 'body.password', 'body']),
    )
  })

  it('creates an account without a password that cannot sign in yet', async () => {
    const created = await admin.post('/users', {
      email: 'no-password@example.test',
      name: 'No Password',
      role: 'customer',
    })
    expect(created.status).toBe(201)
    const login = await anonymous(api).post('/auth/login', {
      email: 'no-password@example.test',
      password: 'anything at all',
    })
    expect(login.status).toBe(401)
    expect(login.body).toMatchObject({ type: 'invalid_credentials' })
  })
})

describe('listing users', () => {
  let marker: string

  beforeAll(async () => {
    marker = `zz${Date.now().toString(36)}`
    for (const [role, name] of [
      ['customer', 'Alpha'],
      ['agent', 'Bravo'],
      ['agent', 'Charlie'],
      ['admin', 'Delta'],
      ['customer', 'Echo'],
    ] as const) {
      await createTestUser(api, { role, name: `${marker} ${name}`, mfa: false })
    }
  })

  const names = (body: unknown) => (body as { items: { name: string }[] }).items.map((u) => u.name)

  it('searches names and emails, filters roles, pages by name', async () => {
    const all = await admin.get(`/users?q=${marker}`)
    expect(names(all.body)).toEqual(
      ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].map((n) => `${marker} ${n}`),
    )
    const staff = await admin.get(`/users?q=${marker}&role=agent,admin`)
    expect(names(staff.body)).toEqual([`${marker} Bravo`, `${marker} Charlie`, `${marker} Delta`])

    const first = await admin.get(`/users?q=${marker}&limit=2`)
    const { nextCursor } = first.body as { nextCursor: string }
    expect(names(first.body)).toEqual([`${marker} Alpha`, `${marker} Bravo`])
    const second = await admin.get(`/users?q=${marker}&limit=2&cursor=${nextCursor}`)
    expect(names(second.body)).toEqual([`${marker} Charlie`, `${marker} Delta`])
    const third = await admin.get(
      `/users?q=${marker}&limit=2&cursor=${(second.body as { nextCursor: string }).nextCursor}`,
    )
    expect(third.body).toMatchObject({ nextCursor: null })
    expect(names(third.body)).toEqual([`${marker} Echo`])
  })

  it('treats LIKE wildcards in the search text literally', async () => {
    expect(names((await admin.get('/users?q=%25')).body)).toEqual([])
  })

  it('refuses bad filters and forged cursors with 400', async () => {
    for (const query of ['role=king', 'limit=0', 'limit=101', 'cursor=bm9wZQ', 'colour=red']) {
      const answer = await admin.get(`/users?${query}`)
      expect({ query, status: answer.status }).toEqual({ query, status: 400 })
    }
  })

  it('is for agents and admins only', async () => {
    const { client: customer } = await signedInAs(api, { role: 'customer' })
    expect((await customer.get('/users')).status).toBe(403)
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    expect((await agent.get(`/users?q=${marker}`)).status).toBe(200)
  })
})

describe('changing users', () => {
  it('lets people rename themselves, and nothing more', async () => {
    const { user, client } = await signedInAs(api, { role: 'customer' })
    const renamed = await client.patch(`/users/${user.id}`, { name: 'New Name' })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ name: 'New Name', role: 'customer' })
    const promoted = await client.patch(`/users/${user.id}`, { role: 'admin' })
    expect(promoted.status).toBe(403)
    const other = await createTestUser(api, { role: 'customer' })
    expect((await client.patch(`/users/${other.id}`, { name: 'Mine now' })).status).toBe(404)
    expect((await client.get(`/users/${other.id}`)).status).toBe(404)
  })

  it('ends a user’s sessions when an admin changes their role or password', async () => {
    for (const change of [{ role: 'agent' }, { password: 'a brand new password' }]) {
      const { user, client } = await signedInAs(api, { role: 'customer' })
      const answer = await admin.patch(`/users/${user.id}`, change)
      expect(answer.status).toBe(200)
      expect((await client.get('/auth/me')).status).toBe(401)
    }
  })

  it('keeps at least one admin', async () => {
    const solo = await startTestApp(await externalEnvironment())
    try {
      const { user, client } = await signedInAs(solo, { role: 'admin' })
      const demoted = await client.patch(`/users/${user.id}`, { role: 'agent' })
      expect(demoted.status).toBe(409)
      const erased = await client.post(`/users/${user.id}/erase`)
      expect(erased.status).toBe(409)
      // An admin without a password cannot sign in: no stand-in for the last one who can.
      const passwordless = await client.post('/users', {
        email: `nopass-${user.id}@example.test`,
        name: 'No password',
        role: 'admin',
      })
      expect(passwordless.status).toBe(201)
      expect((await client.patch(`/users/${user.id}`, { role: 'agent' })).status).toBe(409)
    } finally {
      await solo.close()
    }
  })

  it('404s an unknown user and 400s a malformed id', async () => {
    expect((await admin.get('/users/0b8f4e2a-6f5e-4c57-9d0e-2d5f1c3b7a11')).status).toBe(404)
    expect((await admin.get('/users/not-a-uuid')).status).toBe(400)
  })
})

describe('MFA requirements', () => {
  it('holds an admin without MFA at admin-only endpoints, not elsewhere', async () => {
    const { client } = await signedInAs(api, { role: 'admin', mfa: false })
    const settings = await client.get('/settings')
    expect(settings.status).toBe(403)
    expect(settings.body).toMatchObject({ type: 'mfa_enrollment_required' })
    expect((await client.get('/users')).status).toBe(200)
  })

  it('holds a user an admin requires MFA of at everything until they enrol', async () => {
    const { user, client } = await signedInAs(api, { role: 'agent' })
    const flagged = await admin.patch(`/users/${user.id}`, { mfaRequired: true })
    expect(flagged.body).toMatchObject({ mfaRequired: true })
    const held = await client.get('/users')
    expect(held.status).toBe(403)
    expect(held.body).toMatchObject({ type: 'mfa_enrollment_required' })
    expect((await client.get('/auth/me')).status).toBe(200)
    await enrolTotp(api, user, client)
    expect((await client.get('/users')).status).toBe(200)
  })

  it('holds every agent once admins require MFA for agents', async () => {
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    const { client: customer } = await signedInAs(api, { role: 'customer' })
    const turnedOn = await admin.put('/settings', { mfaRequiredForAgents: true })
    expect(turnedOn.body).toMatchObject({ selfSignupEnabled: false, mfaRequiredForAgents: true })
    try {
      expect((await agent.get('/users')).body).toMatchObject({ type: 'mfa_enrollment_required' })
      expect((await customer.get('/auth/tokens')).status).toBe(200)
    } finally {
      await admin.put('/settings', { mfaRequiredForAgents: false })
    }
    expect((await agent.get('/users')).status).toBe(200)
  })

  it('lets an admin reset a user’s MFA (lost device)', async () => {
    const user = await createTestUser(api, { role: 'agent', mfa: true })
    const client = await signIn(api, user)
    expect((await admin.delete(`/users/${user.id}/mfa`)).status).toBe(204)
    expect((await client.get('/auth/me')).status).toBe(401)
    const fresh = await anonymous(api).post('/auth/login', {
      email: user.email,
      password: user.password,
    })
    expect(fresh.body).toMatchObject({ user: { mfaEnabled: false } })
  })
})
