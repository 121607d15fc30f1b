// CSRF and the auth hook, with sessions created through the real store: Redis, and the
// in-memory store of embedded mode (with PGlite).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { environmentFor, MODES, startTestApp, type TestApp } from './support/app.ts'
import { TEST_TOKEN, withFixture } from './support/fixture-module.ts'

const THING = '/api/v1/things/0b8f4e2a-6f5e-4c57-9d0e-2d5f1c3b7a11'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), { modules: withFixture })
  })
  afterAll(() => api.close())

  async function signIn(data: Record<string, unknown> = {}) {
    const session = await api.app.services.sessions.create({ userId: 'user-1', data })
    return { cookie: `helpdesk_session=${session.id}`, csrfToken: session.csrfToken }
  }

  const rename = (headers: Record<string, string>) =>
    fetch(api.url + THING, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ title: 'Renamed' }),
    })

  it('rejects a request without credentials with 401', async () => {
    const response = await fetch(`${api.url}/api/v1/whoami`)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ type: 'unauthenticated' })
  })

  it('authenticates a read by the session cookie alone', async () => {
    const { cookie } = await signIn()
    const response = await fetch(`${api.url}/api/v1/whoami`, { headers: { Cookie: cookie } })
    expect(await response.json()).toEqual({ userId: 'user-1', via: 'session' })
  })

  it('refuses a cookie-authenticated state change without X-CSRFToken', async () => {
    const { cookie } = await signIn()
    const response = await rename({ Cookie: cookie })
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({
      type: 'csrf_failed',
      detail: 'X-CSRFToken header missing',
    })
  })

  it('refuses a wrong X-CSRFToken, including another session’s token', async () => {
    const { cookie } = await signIn()
    const other = await signIn()
    for (const token of ['wrong', other.csrfToken]) {
      const response = await rename({ Cookie: cookie, 'X-CSRFToken': token })
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ type: 'csrf_failed' })
    }
  })

  it('accepts the session’s own X-CSRFToken', async () => {
    const { cookie, csrfToken } = await signIn()
    const response = await rename({ Cookie: cookie, 'X-CSRFToken': csrfToken })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      id: '0b8f4e2a-6f5e-4c57-9d0e-2d5f1c3b7a11',
      title: 'Renamed',
      by: 'user-1',
    })
  })

  it('needs no CSRF token with a bearer token', async () => {
    const response = await rename({ Authorization: `Bearer ${TEST_TOKEN}` })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ by: 'token-user' })
  })

  it('rejects an unknown bearer token even next to a valid session cookie', async () => {
    const { cookie, csrfToken } = await signIn()
    const response = await rename({
      Authorization: 'Bearer not-a-valid-token-at-all',
      Cookie: cookie,
      'X-CSRFToken': csrfToken,
    })
    expect(response.status).toBe(401)
  })

  it('checks permissions: 403 without, success with', async () => {
    const plain = await signIn()
    const denied = await fetch(`${api.url}/api/v1/admin-thing`, {
      method: 'DELETE',
      headers: { Cookie: plain.cookie, 'X-CSRFToken': plain.csrfToken },
    })
    expect(denied.status).toBe(403)
    expect(await denied.json()).toMatchObject({ type: 'forbidden', detail: 'needs settings:write' })
    const admin = await signIn({ permissions: ['settings:write'] })
    const allowed = await fetch(`${api.url}/api/v1/admin-thing`, {
      method: 'DELETE',
      headers: { Cookie: admin.cookie, 'X-CSRFToken': admin.csrfToken },
    })
    expect(allowed.status).toBe(204)
  })

  it('ends the session of a user the auth hook no longer accepts', async () => {
    const { cookie } = await signIn({ disabled: true })
    const response = await fetch(`${api.url}/api/v1/whoami`, { headers: { Cookie: cookie } })
    expect(response.status).toBe(401)
    const id = cookie.split('=')[1] as string
    expect(await api.app.services.sessions.get(id)).toBeNull()
  })

  it('validates input only after authentication', async () => {
    const response = await fetch(`${api.url}/api/v1/things/not-a-uuid`, { method: 'POST' })
    expect(response.status).toBe(401)
  })
})

describe('session cookies behind TLS', () => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(
      {
        ...(await environmentFor('external')),
        HELPDESK_PUBLIC_URL: 'https://helpdesk.example.com',
      },
      { modules: withFixture },
    )
  })
  afterAll(() => api.close())

  it('sets a __Host- cookie (Secure, HttpOnly, SameSite=Lax) and clears it on sign-out', async () => {
    const started = await fetch(`${api.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'user-7' }),
    })
    expect(started.status).toBe(200)
    const { csrfToken } = (await started.json()) as { csrfToken: string }
    const setCookie = started.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(
      /^__Host-helpdesk_session=[A-Za-z0-9_-]{43}; path=\/; expires=[^;]+; samesite=lax; secure; httponly$/,
    )
    const cookie = setCookie.split(';')[0] as string
    const whoami = await fetch(`${api.url}/api/v1/whoami`, { headers: { Cookie: cookie } })
    expect(await whoami.json()).toEqual({ userId: 'user-7', via: 'session' })

    const ended = await fetch(`${api.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { Cookie: cookie, 'X-CSRFToken': csrfToken },
    })
    expect(ended.status).toBe(204)
    expect(ended.headers.get('set-cookie')).toMatch(
      /^__Host-helpdesk_session=; path=\/; expires=Thu, 01 Jan 1970/,
    )
    const after = await fetch(`${api.url}/api/v1/whoami`, { headers: { Cookie: cookie } })
    expect(after.status).toBe(401)
  })

  it('replaces the current session on a new sign-in', async () => {
    const first = await api.app.services.sessions.create({ userId: 'user-8' })
    const response = await fetch(`${api.url}/api/v1/session`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: `__Host-helpdesk_session=${first.id}`,
      },
      body: JSON.stringify({ userId: 'user-8' }),
    })
    expect(response.status).toBe(200)
    expect(await api.app.services.sessions.get(first.id)).toBeNull()
  })
})
