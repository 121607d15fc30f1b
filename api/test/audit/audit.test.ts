// The audit log: what is recorded, how admins read it, and that nobody can rewrite it.
import { randomBytes } from 'node:crypto'
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import {
  type ApiClient,
  anonymous,
  createTestUser,
  signedInAs,
  type TestUser,
} from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

interface AuditItem {
  id: string
  action: string
  actor: { id: string; name: string } | null
  targetId: string | null
  targetName: string | null
  ip: string | null
  userAgent: string | null
  details: Record<string, unknown>
}

const itemsOf = (body: unknown) => (body as { items: AuditItem[] }).items

describe('the audit log', () => {
  let api: TestApp
  let admin: ApiClient
  let adminUser: TestUser

  beforeAll(async () => {
    api = await startTestApp(await externalEnvironment())
    ;({ user: adminUser, client: admin } = await signedInAs(api, { role: 'admin' }))
  })
  afterAll(() => api.close())

  it('records failed and successful sign-ins with client address and user agent', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const headers = { 'User-Agent': 'audit-test/1.0' }
    await anonymous(api).post(
      '/auth/login',
      { email: user.email, password: 'wrong password' },
      { headers },
    )
    await anonymous(api).post(
      '/auth/login',
      { email: user.email, password: user.password },
      { headers },
    )
    const events = itemsOf((await admin.get(`/audit-events?actorId=${user.id}`)).body)
    expect(events.map((event) => event.action)).toEqual([
      'auth.login_succeeded',
      'auth.login_failed',
    ])
    expect(events[1]).toMatchObject({
      actor: { id: user.id, name: user.name },
      targetId: user.id,
      ip: '127.0.0.1',
      userAgent: 'audit-test/1.0',
      details: { reason: 'invalid_credentials' },
    })
  })

  it('records a failed sign-in for an unknown email without an actor', async () => {
    const email = `ghost-${randomBytes(4).toString('hex')}@example.test`
    await anonymous(api).post('/auth/login', { email, password: 'whatever it is' })
    const [latest] = itemsOf(
      (await admin.get('/audit-events?action=auth.login_failed&limit=1')).body,
    )
    expect(latest).toMatchObject({ actor: null, targetId: null })
    // The address someone typed is not kept.
    expect(JSON.stringify(latest)).not.toContain(email)
  })

  it('records role changes, MFA changes, token creation and user creation', async () => {
    const { user, client } = await signedInAs(api, { role: 'customer', mfa: true })
    await client.post('/auth/tokens', { name: 'script' })
    await admin.patch(`/users/${user.id}`, { role: 'agent' })
    const mine = itemsOf((await admin.get(`/audit-events?actorId=${user.id}`)).body).map(
      (e) => e.action,
    )
    expect(mine).toEqual(expect.arrayContaining(['auth.mfa_enabled', 'auth.token_created']))
    const byAdmin = itemsOf(
      (await admin.get(`/audit-events?actorId=${adminUser.id}&action=user.role_changed`)).body,
    )
    expect(byAdmin[0]).toMatchObject({
      targetId: user.id,
      details: { from: 'customer', to: 'agent' },
    })
  })

  it('names the target as it is now, and an erased person only as "Erased user"', async () => {
    const unique = randomBytes(4).toString('hex')
    const name = `Audrey Target-${unique}`
    const teamName = `Team ${randomBytes(4).toString('hex')}`
    const created = await admin.post('/users', {
      name,
      email: `audrey-${unique}@example.test`,
      role: 'customer',
    })
    expect(created.status).toBe(201)
    const id = (created.body as { id: string }).id
    const team = await admin.post('/teams', { name: teamName })
    const events = async () =>
      itemsOf((await admin.get(`/audit-events?actorId=${adminUser.id}&limit=10`)).body)
    expect((await events()).find((event) => event.action === 'user.created')).toMatchObject({
      targetId: id,
      targetName: name,
    })
    expect((await events()).find((event) => event.action === 'team.created')).toMatchObject({
      targetId: (team.body as { id: string }).id,
      targetName: teamName,
    })

    expect((await admin.post(`/users/${id}/erase`, {})).status).toBe(204)
    const after = await events()
    const aboutThem = after.filter((event) => event.targetId === id)
    expect(aboutThem.map((event) => event.action)).toEqual(['user.erased', 'user.created'])
    expect(aboutThem.map((event) => event.targetName)).toEqual(['Erased user', 'Erased user'])
    expect(JSON.stringify(after)).not.toContain(unique)
    // Targets without a name of their own stay unnamed.
    await admin.put('/settings', { selfSignupEnabled: true })
    await admin.put('/settings', { selfSignupEnabled: false })
    const [settings] = itemsOf((await admin.get('/audit-events?action=settings.updated')).body)
    expect(settings?.targetName ?? null).toBeNull()
  })

  it('pages newest first, without gaps or repeats, and filters by time', async () => {
    const since = new Date().toISOString()
    const user = await createTestUser(api, { role: 'customer' })
    for (let attempt = 0; attempt < 5; attempt++) {
      await anonymous(api).post('/auth/login', { email: user.email, password: `wrong ${attempt}` })
    }
    const seen: AuditItem[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await admin.get(`/audit-events?actorId=${user.id}&limit=2${query}`)).body as {
        items: AuditItem[]
        nextCursor: string | null
      }
      seen.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(5)
    expect(new Set(seen.map((event) => event.id)).size).toBe(5)
    const recent = itemsOf(
      (await admin.get(`/audit-events?since=${encodeURIComponent(since)}&limit=100`)).body,
    )
    expect(recent.filter((event) => event.actor?.id === user.id)).toHaveLength(5)
    const future = await admin.get(
      `/audit-events?since=${encodeURIComponent('2999-01-01T00:00:00Z')}`,
    )
    expect(itemsOf(future.body)).toEqual([])
  })

  it('reads every time the schema allows, at the edges of years and offsets', async () => {
    // The fuzz tier found +23:00 (valid RFC 3339) answered 400 "not a cursor": Postgres reads
    // offsets only up to ±15:59, so the schema stops there and everything it allows is read.
    for (const since of [
      '0001-01-01T00:00:00+15:59',
      '0009-10-16T04:55:12-15:59',
      '9999-12-31T23:59:59-15:59',
    ]) {
      const answer = await admin.get(`/audit-events?since=${encodeURIComponent(since)}`)
      expect({ since, status: answer.status }).toEqual({ since, status: 200 })
    }
    const beyond = await admin.get(
      `/audit-events?since=${encodeURIComponent('2026-01-01T00:00:00+23:00')}`,
    )
    expect(beyond.status).toBe(400)
    expect(beyond.body).toMatchObject({ errors: [{ path: 'query.since' }] })
  })

  it('is for admins only and has no way to change an event', async () => {
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    expect((await agent.get('/audit-events')).status).toBe(403)
    const [event] = itemsOf((await admin.get('/audit-events?limit=1')).body)
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const answer = await admin.request(
        method,
        `/audit-events/${event?.id}`,
        method === 'DELETE' ? undefined : {},
      )
      expect(answer.status).toBe(404)
    }
    expect((await admin.request('DELETE', '/audit-events')).status).toBe(405)
  })

  it('filters by an action or the start of one', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    await anonymous(api).post('/auth/login', { email: user.email, password: 'wrong password' })
    await anonymous(api).post('/auth/login', { email: user.email, password: user.password })
    const actions = async (action: string) =>
      itemsOf((await admin.get(`/audit-events?actorId=${user.id}&action=${action}`)).body).map(
        (e) => e.action,
      )
    expect(await actions('auth.login')).toEqual(['auth.login_succeeded', 'auth.login_failed'])
    expect(await actions('auth.login_failed')).toEqual(['auth.login_failed'])
    expect(await actions('user')).toEqual([])
  })

  it('refuses bad filters', async () => {
    for (const query of ['actorId=me', 'since=yesterday', 'action=DROP%20TABLE', 'limit=1000']) {
      expect({ query, status: (await admin.get(`/audit-events?${query}`)).status }).toEqual({
        query,
        status: 400,
      })
    }
  })
})

describe('append-only in Postgres', () => {
  const superuserUrl = { value: '' }
  const appUrl = { value: '' }
  let api: TestApp

  // Production shape: the API connects as an ordinary role that owns its database.
  beforeAll(async () => {
    superuserUrl.value = await testServices.postgres().createDatabase('audit')
    const url = new URL(superuserUrl.value)
    const database = url.pathname.slice(1)
    const role = `app_${randomBytes(6).toString('hex')}`
    const password = randomBytes(12).toString('hex')
    await withClient(superuserUrl.value, async (client) => {
      await client.query(`create role ${role} login password '${password}'`)
      await client.query(`alter database "${database}" owner to ${role}`)
    })
    url.username = role
    url.password = password
    appUrl.value = url.toString()
    api = await startTestApp({ DATABASE_URL: appUrl.value, REDIS_URL: testServices.redis().url })
    await signedInAs(api, { role: 'admin' })
  })
  afterAll(() => api?.close())

  it('gives the application’s role no UPDATE, DELETE or TRUNCATE, though it writes events', async () => {
    await withClient(appUrl.value, async (client) => {
      const { rows } = await client.query('select count(*)::int as n from audit_events')
      expect(rows[0].n).toBeGreaterThan(0)
      for (const statement of [
        `update audit_events set action = 'auth.nothing_happened'`,
        'delete from audit_events',
        'truncate audit_events',
      ]) {
        await expect(client.query(statement)).rejects.toMatchObject({
          code: '42501',
          message: 'permission denied for table audit_events',
        })
      }
    })
  })

  it('stops even a superuser with the trigger', async () => {
    await withClient(superuserUrl.value, async (client) => {
      await expect(client.query(`update audit_events set action = 'auth.x'`)).rejects.toMatchObject(
        {
          message: 'audit_events is append-only: UPDATE refused',
        },
      )
      await expect(client.query('delete from audit_events')).rejects.toMatchObject({
        message: 'audit_events is append-only: DELETE refused',
      })
      await expect(client.query('truncate audit_events')).rejects.toMatchObject({
        message: 'audit_events is append-only: TRUNCATE refused',
      })
    })
  })
})

describe('append-only in embedded mode (PGlite)', () => {
  it('refuses UPDATE and DELETE through the trigger', async () => {
    const api = await startTestApp({})
    try {
      await signedInAs(api, { role: 'admin' })
      const em = api.app.services.orm.em.fork()
      await expect(em.execute(`update audit_events set action = 'auth.x'`)).rejects.toThrow(
        'audit_events is append-only: UPDATE refused',
      )
      await expect(em.execute('delete from audit_events')).rejects.toThrow('append-only: DELETE')
      const [row] = await em.execute<{ n: number }[]>('select count(*)::int as n from audit_events')
      expect(row?.n).toBeGreaterThan(0)
    } finally {
      await api.close()
    }
  })
})

async function withClient(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}
