// Sign-in, sessions and MFA through the real routes, on Postgres + Redis and in embedded mode.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  anonymous,
  createTestUser,
  enrolTotp,
  nextTotp,
  signIn,
  type TestUser,
} from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode))
  })
  afterAll(() => api.close())

  it('signs in with email and password: user, CSRF token and an HttpOnly cookie', async () => {
    const user = await createTestUser(api, { role: 'agent' })
    const client = anonymous(api)
    const answer = await client.post('/auth/login', {
      email: user.email.toUpperCase(),
      password: user.password,
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: 'agent',
        mfaEnabled: false,
        mfaRequired: false,
        createdAt: expect.any(String),
      },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    })
    expect(answer.headers.get('set-cookie')).toMatch(/^helpdesk_session=.+; httponly$/)
    const me = await client.get('/auth/me')
    expect(me.body).toMatchObject({
      user: { id: user.id },
      csrfToken: (answer.body as { csrfToken: string }).csrfToken,
    })
  })

  it('answers a wrong password and an unknown email alike', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const wrong = await anonymous(api).post('/auth/login', {
      email: user.email,
      password: 'not the password',
    })
    const unknown = await anonymous(api).post('/auth/login', {
      email: `nobody-${user.id}@example.test`,
      password: 'not the password',
    })
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401)
      expect(answer.headers.get('set-cookie')).toBeNull()
    }
    const strip = (body: unknown) => ({ ...(body as object), requestId: undefined })
    expect(strip(wrong.body)).toEqual(strip(unknown.body))
  })

  it('gives a new session id at each sign-in and ends it at sign-out', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const first = await signIn(api, user)
    const second = await signIn(api, user)
    expect(second.cookie).not.toEqual(first.cookie)
    const out = await first.post('/auth/logout')
    expect(out.status).toBe(204)
    expect((await first.get('/auth/me')).status).toBe(401)
    expect((await second.get('/auth/me')).status).toBe(200)
  })

  it('signs out everywhere', async () => {
    const user = await createTestUser(api, { role: 'agent' })
    const [laptop, phone] = [await signIn(api, user), await signIn(api, user)]
    expect((await phone.post('/auth/logout', { everywhere: true })).status).toBe(204)
    expect((await laptop.get('/auth/me')).status).toBe(401)
    expect((await phone.get('/auth/me')).status).toBe(401)
  })

  it('ends the other sessions when MFA is turned on, not the one that turned it on', async () => {
    const user = await createTestUser(api, { role: 'agent', mfa: false })
    const elsewhere = await signIn(api, user)
    const client = await signIn(api, user)
    await enrolTotp(api, user, client)
    expect((await client.get('/auth/me')).status).toBe(200)
    expect((await elsewhere.get('/auth/me')).status).toBe(401)
  })

  it('refuses sign-out without the CSRF token', async () => {
    const client = await signIn(api, await createTestUser(api, { role: 'customer' }))
    const answer = await client.post('/auth/logout', undefined, { withoutCsrf: true })
    expect(answer.status).toBe(403)
    expect(answer.body).toMatchObject({ type: 'csrf_failed' })
  })

  describe('with TOTP', () => {
    let user: TestUser

    beforeAll(async () => {
      user = await createTestUser(api, { role: 'agent', mfa: true })
    })

    it('asks for the second factor, then refuses a wrong code', async () => {
      const credentials = { email: user.email, password: user.password }
      const missing = await anonymous(api).post('/auth/login', credentials)
      expect(missing.status).toBe(401)
      expect(missing.body).toMatchObject({ type: 'mfa_required' })
      const wrong = await anonymous(api).post('/auth/login', { ...credentials, totp: '000000' })
      expect(wrong.status).toBe(401)
      expect(wrong.body).toMatchObject({ type: 'mfa_invalid' })
    })

    it('accepts a code once: a replay is refused', async () => {
      const code = nextTotp(user) as string
      const credentials = { email: user.email, password: user.password, totp: code }
      expect((await anonymous(api).post('/auth/login', credentials)).status).toBe(200)
      const replay = await anonymous(api).post('/auth/login', credentials)
      expect(replay.status).toBe(401)
      expect(replay.body).toMatchObject({ type: 'mfa_invalid' })
    })

    it('accepts each recovery code once', async () => {
      const recoveryCode = user.recoveryCodes?.shift() as string
      const credentials = { email: user.email, password: user.password, recoveryCode }
      expect((await anonymous(api).post('/auth/login', credentials)).status).toBe(200)
      expect((await anonymous(api).post('/auth/login', credentials)).status).toBe(401)
    })

    it('cannot enrol twice', async () => {
      const client = await signIn(api, user)
      const again = await client.post('/auth/mfa/totp/setup')
      expect(again.status).toBe(409)
    })
  })

  it('keeps admins from admin-only work until they enrol', async () => {
    const admin = await createTestUser(api, { role: 'admin', mfa: false })
    const client = await signIn(api, admin)
    const before = await client.get('/auth/me')
    expect(before.body).toMatchObject({ user: { role: 'admin', mfaEnabled: false } })
    await enrolTotp(api, admin, client)
    const after = await client.get('/auth/me')
    expect(after.body).toMatchObject({ user: { mfaEnabled: true } })
  })
})
