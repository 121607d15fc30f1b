// Teams: names unique regardless of case, members only agents and admins, admins only shape.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, appWithAdmin, createTestUser, signedInAs } from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
})
afterAll(() => api.close())

describe('teams', () => {
  it('are created, renamed, given members and deleted by admins', async () => {
    const created = await admin.post('/teams', { name: 'Billing' })
    expect(created.status).toBe(201)
    const team = created.body as { id: string }
    expect(created.body).toEqual({
      id: team.id,
      name: 'Billing',
      members: [],
      createdAt: expect.any(String),
    })

    const agent = await createTestUser(api, { role: 'agent', name: 'Ada Agent' })
    const other = await createTestUser(api, { role: 'admin', name: 'Bob Admin', mfa: false })
    const members = await admin.put(`/teams/${team.id}/members`, {
      userIds: [other.id, agent.id, agent.id],
    })
    expect(members.status).toBe(200)
    expect(members.body).toMatchObject({
      members: [
        { id: agent.id, name: 'Ada Agent' },
        { id: other.id, name: 'Bob Admin' },
      ],
    })
    const renamed = await admin.patch(`/teams/${team.id}`, { name: 'Billing & Refunds' })
    expect(renamed.body).toMatchObject({ name: 'Billing & Refunds', members: [{}, {}] })

    const listed = await admin.get('/teams')
    expect((listed.body as { items: { id: string }[] }).items.map((t) => t.id)).toContain(team.id)

    expect((await admin.delete(`/teams/${team.id}`)).status).toBe(204)
    expect((await admin.patch(`/teams/${team.id}`, { name: 'Gone' })).status).toBe(404)
    expect((await admin.delete(`/teams/${team.id}`)).status).toBe(404)
  })

  it('refuse a name another team has, in any case', async () => {
    await admin.post('/teams', { name: 'Escalations' })
    const clash = await admin.post('/teams', { name: 'ESCALATIONS' })
    expect(clash.status).toBe(409)
    expect(clash.body).toMatchObject({ errors: [{ path: 'body.name' }] })
  })

  it('refuse customers and unknown users as members, naming each', async () => {
    const team = (await admin.post('/teams', { name: 'Onboarding' })).body as { id: string }
    const customer = await createTestUser(api, { role: 'customer' })
    const answer = await admin.put(`/teams/${team.id}/members`, {
      userIds: ['0b8f4e2a-6f5e-4c57-9d0e-2d5f1c3b7a11', customer.id],
    })
    expect(answer.status).toBe(422)
    expect(answer.body).toMatchObject({
      errors: [
        { path: 'body.userIds.0', message: 'not an agent or admin' },
        { path: 'body.userIds.1', message: 'not an agent or admin' },
      ],
    })
  })

  it('are visible to agents, changed only by admins, hidden from customers', async () => {
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    expect((await agent.get('/teams')).status).toBe(200)
    expect((await agent.post('/teams', { name: 'Agents only' })).status).toBe(403)
    const { client: customer } = await signedInAs(api, { role: 'customer' })
    expect((await customer.get('/teams')).status).toBe(403)
  })

  it('page by name', async () => {
    const prefix = `page-${Date.now()}`
    for (const suffix of ['a', 'b', 'c'])
      await admin.post('/teams', { name: `${prefix}-${suffix}` })
    const names: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await admin.get(`/teams?limit=2${query}`)).body as {
        items: { name: string }[]
        nextCursor: string | null
      }
      names.push(...page.items.map((team) => team.name))
      cursor = page.nextCursor
    } while (cursor)
    expect(names.filter((name) => name.startsWith(prefix))).toEqual(
      ['a', 'b', 'c'].map((s) => `${prefix}-${s}`),
    )
    expect(names).toEqual([...names].sort())
  })
})
