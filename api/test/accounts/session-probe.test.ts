// GET /auth/session: what a browser tab asks on load. It answers a visitor without a session
// with `user: null` instead of a 401 — so an anonymous page load fails no request — and gives
// away nothing more: no CSRF token without a session, and a wrong credential is still refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ApiClient, anonymous, createTestUser, signIn, type TestUser } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
let customer: TestUser

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment())
  customer = await createTestUser(api, { role: 'customer' })
})
afterAll(() => api.close())

describe('GET /auth/session', () => {
  it('answers a visitor without a session with no user and no token', async () => {
    const answer = await anonymous(api).get('/auth/session')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ user: null })
  })

  it('answers a signed-in browser with its user and the session’s CSRF token', async () => {
    const client = await signIn(api, customer)
    const answer = await client.get('/auth/session')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      user: expect.objectContaining({ id: customer.id, role: 'customer' }),
      csrfToken: expect.any(String),
    })
  })

  it('answers no user once the session has ended', async () => {
    const client = await signIn(api, customer)
    expect((await client.post('/auth/logout')).status).toBe(204)
    expect((await client.get('/auth/session')).body).toEqual({ user: null })
  })

  it('still refuses a bearer token that is unknown', async () => {
    const bearer = new ApiClient(api.url, { bearer: `hd_${'x'.repeat(43)}` })
    const answer = await bearer.get('/auth/session')
    expect(answer.status).toBe(401)
    expect(answer.body).toMatchObject({ type: 'unauthenticated' })
  })
})
