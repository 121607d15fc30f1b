// Saved views: ticket-list queries an agent keeps under a name. The query passes the list's
// own schema and is kept in one form; names are unique per person (409 view_name_taken); a
// person keeps at most 50 (422 too_many_saved_views), even when creations race; nobody else
// sees them, customers have none, and they leave with their owner's data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemOrigin } from '../../src/audit/commands.ts'
import { erasePersonalData } from '../../src/privacy/commands.ts'
import { MAX_SAVED_VIEWS } from '../../src/saved-views/commands.ts'
import { type ApiClient, appWithAdmin, signedInAs } from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient
let ada: ApiClient
let bob: ApiClient

interface View {
  id: string
  name: string
  query: string
}

interface Problem {
  type: string
  errors?: { path: string; message: string }[]
}

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
  ada = (await signedInAs(api, { role: 'agent' })).client
  bob = (await signedInAs(api, { role: 'agent' })).client
})
afterAll(() => api.close())

async function created(client: ApiClient, name: string, query = 'status=open'): Promise<View> {
  const answer = await client.post('/saved-views', { name, query })
  expect(answer.status).toBe(201)
  return answer.body as View
}

async function names(client: ApiClient): Promise<string[]> {
  const answer = await client.get('/saved-views')
  expect(answer.status).toBe(200)
  return (answer.body as { items: View[] }).items.map((view) => view.name)
}

describe('saved views', () => {
  it('are created, listed by name whatever the case, renamed, changed and deleted', async () => {
    const urgent = await created(
      ada,
      '  Urgent printers ',
      'q=printer&status=pending,open&priority=urgent&sort=created',
    )
    expect(urgent).toEqual({
      id: expect.any(String),
      name: 'Urgent printers',
      // Keys in alphabetical order, as the list reads them: equal views have equal text.
      query: 'priority=urgent&q=printer&sort=created&status=pending%2Copen',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    await created(ada, 'billing')
    await created(ada, 'Zed')
    expect(await names(ada)).toEqual(['billing', 'Urgent printers', 'Zed'])

    const renamed = await ada.patch(`/saved-views/${urgent.id}`, { name: 'Printers' })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ name: 'Printers', query: urgent.query })
    const requeried = await ada.patch(`/saved-views/${urgent.id}`, { query: '?assigneeId=me' })
    expect(requeried.body).toMatchObject({ name: 'Printers', query: 'assigneeId=me' })

    expect((await ada.delete(`/saved-views/${urgent.id}`)).status).toBe(204)
    expect(await names(ada)).toEqual(['billing', 'Zed'])
    expect((await ada.delete(`/saved-views/${urgent.id}`)).status).toBe(404)
  })

  it('hold only a query the ticket list accepts, naming the field it refuses', async () => {
    const refused = async (query: string) => {
      const answer = await ada.post('/saved-views', { name: 'Refused', query })
      return { status: answer.status, body: answer.body as Problem }
    }
    const badStatus = await refused('status=open,lost')
    // 422, not 400: the body is well formed, the list refuses what its text says.
    expect(badStatus.status).toBe(422)
    expect(badStatus.body.type).toBe('view_query_refused')
    expect(badStatus.body.errors?.map((error) => error.path)).toEqual(['body.query.status'])
    // The list refuses the same value under the same field.
    const listed = (await ada.get('/tickets?status=open,lost')).body as Problem
    expect(listed.errors?.map((error) => error.path)).toEqual(['query.status'])

    expect((await refused('sort=oldest')).body.errors?.[0]?.path).toBe('body.query.sort')
    expect((await refused('status=open&status=new')).body.errors?.[0]?.path).toBe(
      'body.query.status',
    )
    expect((await refused('colour=red')).status).toBe(422)

    const paged = await refused('status=open&cursor=abc&limit=10')
    expect(paged.status).toBe(422)
    expect(paged.body.type).toBe('view_query_refused')
    expect(paged.body.errors?.map((error) => error.path)).toEqual([
      'body.query.limit',
      'body.query.cursor',
    ])
    expect((await ada.post('/saved-views', { name: ' ', query: '' })).status).toBe(400)
    expect((await ada.post('/saved-views', { name: 'x'.repeat(81), query: '' })).status).toBe(400)
  })

  it('are their owner’s alone: another agent, even an admin, finds none of them (404)', async () => {
    const own = await created(ada, 'Mine alone')
    expect(await names(bob)).not.toContain('Mine alone')
    expect(await names(admin)).not.toContain('Mine alone')
    for (const other of [bob, admin]) {
      expect((await other.patch(`/saved-views/${own.id}`, { name: 'Taken over' })).status).toBe(404)
      expect((await other.delete(`/saved-views/${own.id}`)).status).toBe(404)
    }
    expect(await names(ada)).toContain('Mine alone')
  })

  it('are not for customers (403)', async () => {
    const { client: customer } = await signedInAs(api, { role: 'customer' })
    expect((await customer.get('/saved-views')).status).toBe(403)
    const answer = await customer.post('/saved-views', { name: 'Mine', query: '' })
    expect(answer.status).toBe(403)
  })

  it('have names unique per person, whatever the case (409 view_name_taken)', async () => {
    const first = await created(bob, 'Escalations')
    const again = await bob.post('/saved-views', { name: 'ESCALATIONS', query: 'priority=high' })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({
      type: 'view_name_taken',
      errors: [{ path: 'body.name', message: 'you already have a view with this name' }],
    })
    const other = await created(bob, 'Other')
    const renamed = await bob.patch(`/saved-views/${other.id}`, { name: 'escalations' })
    expect(renamed.status).toBe(409)
    // Another person may use the same name.
    await created(admin, 'Escalations')
    expect((await bob.delete(`/saved-views/${first.id}`)).status).toBe(204)
  })

  it(`are at most ${MAX_SAVED_VIEWS} per person, even when created all at once`, async () => {
    const { client: busy } = await signedInAs(api, { role: 'agent' })
    const answers = await Promise.all(
      Array.from({ length: MAX_SAVED_VIEWS + 10 }, (_, index) =>
        busy.post('/saved-views', { name: `View ${index}`, query: 'status=open' }),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_SAVED_VIEWS)
    const refused = answers.filter((answer) => answer.status !== 201)
    expect(refused.map((answer) => answer.status)).toEqual(Array(10).fill(422))
    expect(refused.map((answer) => (answer.body as Problem).type)).toEqual(
      Array(10).fill('too_many_saved_views'),
    )
    expect(await names(busy)).toHaveLength(MAX_SAVED_VIEWS)
  })

  it('of a person are in their export and go with them when their data is erased', async () => {
    const { user, client } = await signedInAs(api, { role: 'agent' })
    const own = await created(client, 'Mine', 'priority=urgent')
    const exported = await client.get(`/users/${user.id}/export`)
    expect(exported.status).toBe(200)
    expect(exported.body).toMatchObject({
      savedViews: [{ name: 'Mine', query: 'priority=urgent' }],
    })
    const em = api.app.services.orm.em.fork()
    await erasePersonalData(em, systemOrigin(), api.app.services.storage, user.id)
    expect(await em.execute('select id from saved_views where id = ?', [own.id])).toEqual([])
  })
})
