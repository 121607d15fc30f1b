// Credential changes (README "Credential changes"): only a browser session whose password
// was typed recently may enrol or remove TOTP, replace recovery codes or mint tokens — never
// an API token — and every change that means the old proof may be in other hands revokes
// the user's API tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { RECENT_PASSWORD_SECONDS } from '../../src/accounts/credentials.ts'
import {
  type ApiAnswer,
  ApiClient,
  createTestUser,
  enrolTotp,
  nextTotp,
  signIn,
  type TestUser,
} from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp
  let admin: ApiClient

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: { global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    admin = await signIn(api, await createTestUser(api, { role: 'admin' }))
  })
  afterAll(() => api.close())

  async function tokenFor(user: TestUser): Promise<ApiClient> {
    const created = await (await signIn(api, user)).post('/auth/tokens', { name: 'script' })
    expect(created.status).toBe(201)
    return new ApiClient(api.url, { bearer: (created.body as { token: string }).token })
  }

  /** A browser session whose password was typed `minutesAgo` minutes ago. */
  async function staleSession(user: TestUser, minutesAgo: number): Promise<ApiClient> {
    const session = await api.app.services.sessions.create({
      userId: user.id,
      idleSeconds: 3600,
      data: { passwordAt: Date.now() - minutesAgo * 60_000 },
    })
    return new ApiClient(api.url, {
      cookie: `helpdesk_session=${session.id}`,
      csrfToken: session.csrfToken,
    })
  }

  const expectProblem = (answer: ApiAnswer, status: number, type: string) =>
    expect({ status: answer.status, type: (answer.body as { type?: string }).type }).toEqual({
      status,
      type,
    })

  describe('an API token cannot change credentials', () => {
    it('cannot enrol TOTP, disable it, replace recovery codes or mint tokens', async () => {
      const user = await createTestUser(api, { role: 'agent' })
      const bearer = await tokenFor(user)
      expectProblem(await bearer.post('/auth/mfa/totp/setup'), 403, 'forbidden')
      expectProblem(
        await bearer.post('/auth/mfa/totp/enable', { code: '123456' }),
        403,
        'forbidden',
      )
      expectProblem(
        await bearer.post('/auth/mfa/totp/disable', { code: '123456' }),
        403,
        'forbidden',
      )
      expectProblem(await bearer.post('/auth/mfa/recovery-codes'), 403, 'forbidden')
      expectProblem(await bearer.post('/auth/tokens', { name: 'more' }), 403, 'forbidden')
      expectProblem(
        await bearer.post('/auth/reauthenticate', { password: user.password }),
        403,
        'forbidden',
      )
      // Nothing changed: the owner still signs in with the password alone.
      const me = await (await signIn(api, user)).get('/auth/me')
      expect(me.body).toMatchObject({ user: { mfaEnabled: false } })
    })

    it('the reported attack: a token enabling TOTP for its owner is refused', async () => {
      const user = await createTestUser(api, { role: 'customer' })
      const browser = await signIn(api, user)
      const bearer = await tokenFor(user)
      expect((await bearer.post('/auth/mfa/totp/setup')).status).toBe(403)
      // The owner's session was not ended by anything the token did.
      expect((await browser.get('/auth/me')).status).toBe(200)
    })
  })

  describe('a session needs a recent password', () => {
    it('refuses credential changes once the password is older than the window', async () => {
      const user = await createTestUser(api, { role: 'agent' })
      const stale = await staleSession(user, RECENT_PASSWORD_SECONDS / 60 + 1)
      const fresh = await staleSession(user, RECENT_PASSWORD_SECONDS / 60 - 1)
      expectProblem(await stale.post('/auth/mfa/totp/setup'), 403, 'reauthentication_required')
      expectProblem(
        await stale.post('/auth/tokens', { name: 'x' }),
        403,
        'reauthentication_required',
      )
      expect((await fresh.post('/auth/mfa/totp/setup')).status).toBe(200)
      expect((await fresh.post('/auth/tokens', { name: 'x' })).status).toBe(201)
    })

    it('re-authenticating with the password starts a new session that may change them', async () => {
      const user = await createTestUser(api, { role: 'agent' })
      const stale = await staleSession(user, 60)
      const oldCookie = stale.cookie
      expectProblem(
        await stale.post('/auth/reauthenticate', { password: 'not it at all' }),
        401,
        'invalid_credentials',
      )
      const confirmed = await stale.post('/auth/reauthenticate', { password: user.password })
      expect(confirmed.status).toBe(200)
      const { csrfToken } = confirmed.body as { csrfToken: string }
      stale.adoptCsrfToken(csrfToken)
      expect(stale.cookie).not.toBe(oldCookie)
      expect((await stale.post('/auth/mfa/totp/setup')).status).toBe(200)
      // The session it replaced is gone.
      const replaced = new ApiClient(api.url, { cookie: oldCookie ?? '' })
      expect((await replaced.get('/auth/me')).status).toBe(401)
    })

    it('replaces recovery codes: the old ones stop working', async () => {
      const user = await createTestUser(api, { role: 'agent', mfa: true })
      const session = await signIn(api, user)
      const replaced = await session.post('/auth/mfa/recovery-codes')
      expect(replaced.status).toBe(200)
      const codes = (replaced.body as { recoveryCodes: string[] }).recoveryCodes
      expect(codes).toHaveLength(10)
      expect(codes).not.toContain(user.recoveryCodes?.[0])
      const login = (recoveryCode: string | undefined) =>
        new ApiClient(api.url).post('/auth/login', {
          email: user.email,
          password: user.password,
          recoveryCode,
        })
      expect((await login(user.recoveryCodes?.[0])).status).toBe(401)
      expect((await login(codes[0])).status).toBe(200)
    })
  })

  describe('credential changes revoke every API token', () => {
    async function revokedAfter(change: (user: TestUser) => Promise<void>, options = {}) {
      const user = await createTestUser(api, { role: 'agent', ...options })
      const tokens = [await tokenFor(user), await tokenFor(user)]
      for (const token of tokens) expect((await token.get('/auth/me')).status).toBe(200)
      await change(user)
      return Promise.all(tokens.map(async (token) => (await token.get('/auth/me')).status))
    }

    it('when an admin sets the password', async () => {
      const statuses = await revokedAfter(async (user) => {
        const answer = await admin.patch(`/users/${user.id}`, { password: 'a brand new password' })
        expect(answer.status).toBe(200)
      })
      expect(statuses).toEqual([401, 401])
    })

    it('when the user signs out everywhere', async () => {
      const statuses = await revokedAfter(async (user) => {
        const answer = await (await signIn(api, user)).post('/auth/logout', { everywhere: true })
        expect(answer.status).toBe(204)
      })
      expect(statuses).toEqual([401, 401])
    })

    it('when the user turns TOTP on', async () => {
      const statuses = await revokedAfter((user) => enrolTotp(api, user))
      expect(statuses).toEqual([401, 401])
    })

    it('when the user turns TOTP off', async () => {
      const statuses = await revokedAfter(
        async (user) => {
          const session = await signIn(api, user)
          const answer = await session.post('/auth/mfa/totp/disable', {
            code: nextTotp(user) ?? user.recoveryCodes?.shift(),
          })
          expect(answer.status).toBe(204)
        },
        { mfa: true },
      )
      expect(statuses).toEqual([401, 401])
    })

    it('when an admin resets the user’s TOTP', async () => {
      const statuses = await revokedAfter(
        async (user) => {
          expect((await admin.delete(`/users/${user.id}/mfa`)).status).toBe(204)
        },
        { mfa: true },
      )
      expect(statuses).toEqual([401, 401])
    })

    it('not when the user signs out of one session, or an admin renames them', async () => {
      const statuses = await revokedAfter(async (user) => {
        expect((await (await signIn(api, user)).post('/auth/logout')).status).toBe(204)
        expect((await admin.patch(`/users/${user.id}`, { name: 'Renamed' })).status).toBe(200)
      })
      expect(statuses).toEqual([200, 200])
    })

    it('records why, in the audit log', async () => {
      const user = await createTestUser(api, { role: 'customer' })
      await tokenFor(user)
      await admin.patch(`/users/${user.id}`, { password: 'another new password' })
      const events = await admin.get(`/audit-events?action=auth.tokens_revoked&limit=100`)
      const items = (events.body as { items: { targetId: string; details: unknown }[] }).items
      expect(items.find((item) => item.targetId === user.id)?.details).toEqual({
        reason: 'password_set',
        count: 1,
      })
    })
  })
})
