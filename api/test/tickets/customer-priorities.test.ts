// Which priorities customers may choose: an admin setting (by default low, normal and high —
// urgent is the staff's call), enforced by the API with a problem+json error, offered to the
// web form through the public settings.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, appWithAdmin, signedInAs } from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient
let customer: ApiClient
let agent: ApiClient

const file = (client: ApiClient, priority?: string) =>
  client.post('/tickets', {
    subject: 'The printer is on fire',
    body: 'Smoke since the update.',
    ...(priority ? { priority } : {}),
  })

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
  ;({ client: customer } = await signedInAs(api, { role: 'customer' }))
  ;({ client: agent } = await signedInAs(api, { role: 'agent' }))
})
afterAll(() => api.close())

describe('priorities customers may choose', () => {
  it('are low, normal and high by default; urgent is refused with a clear problem', async () => {
    expect((await customer.get('/settings/public')).body).toMatchObject({
      customerPriorities: ['low', 'normal', 'high'],
    })
    expect((await admin.get('/settings')).body).toMatchObject({
      customerPriorities: ['low', 'normal', 'high'],
    })
    const refused = await file(customer, 'urgent')
    expect(refused.status).toBe(422)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(refused.body).toMatchObject({
      type: 'priority_not_offered',
      status: 422,
      title: 'Customers may not choose this priority',
      errors: [{ path: 'body.priority', message: 'Choose one of: low, normal, high' }],
    })
    expect((await file(customer, 'high')).body).toMatchObject({ priority: 'high' })
    expect((await file(customer)).body).toMatchObject({ priority: 'normal' })
    // Staff triage: they choose any priority.
    expect((await file(agent, 'urgent')).body).toMatchObject({ priority: 'urgent' })
  })

  it('follow the admin’s setting, kept in priority order, and the change is audited', async () => {
    const changed = await admin.put('/settings', { customerPriorities: ['urgent', 'low', 'low'] })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ customerPriorities: ['low', 'urgent'] })
    expect((await customer.get('/settings/public')).body).toMatchObject({
      customerPriorities: ['low', 'urgent'],
    })
    expect((await file(customer, 'urgent')).status).toBe(201)
    expect((await file(customer, 'normal')).body).toMatchObject({
      type: 'priority_not_offered',
      detail: 'customers may choose low, urgent; staff set other priorities',
    })
    const [audited] = (
      (await admin.get('/audit-events?action=settings.updated&limit=1')).body as {
        items: { details: unknown }[]
      }
    ).items
    expect(audited?.details).toEqual({
      customerPriorities: { from: ['low', 'normal', 'high'], to: ['low', 'urgent'] },
    })
    await admin.put('/settings', { customerPriorities: ['low', 'normal', 'high'] })
  })

  it('cannot be none, nor something that is not a priority, nor changed by anyone but admins', async () => {
    for (const customerPriorities of [[], ['critical'], 'low']) {
      const answer = await admin.put('/settings', { customerPriorities })
      expect({ customerPriorities, status: answer.status }).toEqual({
        customerPriorities,
        status: 400,
      })
      expect(answer.body).toMatchObject({ type: 'validation_error' })
    }
    expect((await agent.put('/settings', { customerPriorities: ['urgent'] })).status).toBe(403)
    expect((await admin.get('/settings')).body).toMatchObject({
      customerPriorities: ['low', 'normal', 'high'],
    })
  })
})
