// API tokens: shown once, stored hashed, expiring, revocable, and only their owner's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ApiToken } from '../../src/accounts/entities.ts'
import { ApiClient, anonymous, createTestUser, signIn, type TestUser } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
let owner: TestUser
let session: ApiClient

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment())
  owner = await createTestUser(api, { role: 'agent' })
  session = await signIn(api, owner)
})
afterAll(() => api.close())

async function newToken(body: Record<string, unknown> = { name: 'ci' }) {
  const created = await session.post('/auth/tokens', body)
  expect(created.status).toBe(201)
  return created.body as { id: string; token: string; name: string }
}

describe('API tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    const { id, token } = await newToken()
    expect(token).toMatch(/^hd_[A-Za-z0-9_-]{43}$/)
    const listed = await session.get('/auth/tokens')
    expect(listed.status).toBe(200)
    const items = (listed.body as { items: Record<string, unknown>[] }).items
    expect(items.find((item) => item.id === id)).toEqual({
      id,
      name: 'ci',
      createdAt: expect.any(String),
      expiresAt: null,
      lastUsedAt: null,
    })
    expect(JSON.stringify(listed.body)).not.toContain(token)
    const row = await api.app.services.orm.em.fork().findOneOrFail(ApiToken, { id })
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.tokenHash).not.toContain(token)
  })

  it('act as their owner without cookies or CSRF token, until revoked', async () => {
    const { id, token } = await newToken()
    const bearer = new ApiClient(api.url, { bearer: token })
    const me = await bearer.get('/auth/me')
    expect(me.status).toBe(200)
    expect(me.body).toEqual({ user: expect.objectContaining({ id: owner.id }) })
    const revoke = await bearer.delete(`/auth/tokens/${id}`)
    expect(revoke.status).toBe(204)
    expect((await bearer.get('/auth/me')).status).toBe(401)
  })

  it('records the last use', async () => {
    const { id, token } = await newToken()
    await new ApiClient(api.url, { bearer: token }).get('/auth/me')
    const items = (await session.get('/auth/tokens')).body as {
      items: { id: string; lastUsedAt: string | null }[]
    }
    expect(items.items.find((item) => item.id === id)?.lastUsedAt).toEqual(expect.any(String))
  })

  it('stop working when they expire', async () => {
    const { id, token } = await newToken({
      name: 'short',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    })
    const bearer = new ApiClient(api.url, { bearer: token })
    expect((await bearer.get('/auth/me')).status).toBe(200)
    await api.app.services.orm.em
      .fork()
      .nativeUpdate(ApiToken, { id }, { expiresAt: new Date(Date.now() - 1000) })
    const expired = await bearer.get('/auth/me')
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ type: 'unauthenticated' })
  })

  it('refuse an expiry in the past (422) and unknown fields (400)', async () => {
    const past = await session.post('/auth/tokens', {
      name: 'x',
      expiresAt: '2001-01-01T00:00:00Z',
    })
    expect(past.status).toBe(422)
    expect(past.body).toMatchObject({ errors: [{ path: 'body.expiresAt' }] })
    const extra = await session.post('/auth/tokens', { name: 'x', scope: 'all' })
    expect(extra.status).toBe(400)
  })

  it('cannot mint further tokens', async () => {
    const { token } = await newToken()
    const answer = await new ApiClient(api.url, { bearer: token }).post('/auth/tokens', {
      name: 'more',
    })
    expect(answer.status).toBe(403)
  })

  it('belong to their owner only: someone else’s token is not found', async () => {
    const { id } = await newToken()
    const other = await signIn(api, await createTestUser(api, { role: 'agent' }))
    const answer = await other.delete(`/auth/tokens/${id}`)
    expect(answer.status).toBe(404)
    const list = (await other.get('/auth/tokens')).body as { items: { id: string }[] }
    expect(list.items.map((item) => item.id)).not.toContain(id)
  })

  it('refuse a made-up bearer token', async () => {
    const answer = await new ApiClient(api.url, { bearer: `hd_${'A'.repeat(43)}` }).get('/auth/me')
    expect(answer.status).toBe(401)
    expect((await anonymous(api).get('/auth/tokens')).status).toBe(401)
  })

  it('are capped at 50 per person, even when created in parallel, and the list pages through all', async () => {
    const racer = await signIn(api, await createTestUser(api, { role: 'customer' }))
    const answers = await Promise.all(
      Array.from({ length: 70 }, (_, index) =>
        racer.post('/auth/tokens', { name: `race ${index}` }),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(50)
    expect(statuses.filter((status) => status === 409)).toHaveLength(20)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await racer.get(`/auth/tokens?limit=20${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      const body = page.body as { items: { id: string }[]; nextCursor: string | null }
      seen.push(...body.items.map((item) => item.id))
      cursor = body.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(50)
  })

  it('take the Bearer scheme in any case (RFC 9110)', async () => {
    const { token } = await newToken()
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const answer = await fetch(`${api.url}/api/v1/auth/me`, {
        headers: { Authorization: `${scheme} ${token}` },
      })
      expect({ scheme, status: answer.status }).toEqual({ scheme, status: 200 })
    }
  })
})
