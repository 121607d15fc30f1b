// Settings and customer self sign-up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  type ApiClient,
  anonymous,
  appWithAdmin,
  createTestUser,
  signedInAs,
} from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
})
afterAll(() => api.close())

const account = (email: string) => ({
  email,
  name: 'Carla Customer',
  password: 'carla’s long password',
})

describe('settings', () => {
  it('tell anyone whether sign-up is on, what customers may choose and the upload limit', async () => {
    const answer = await anonymous(api).get('/settings/public')
    expect(answer.body).toEqual({
      selfSignupEnabled: false,
      customerPriorities: ['low', 'normal', 'high'],
      maxAttachmentBytes: api.app.services.config.maxAttachmentBytes,
    })
  })

  it('change only what is sent, are admins’ only, and are audited', async () => {
    const { client: agent } = await signedInAs(api, { role: 'agent' })
    expect((await agent.get('/settings')).status).toBe(403)
    expect((await agent.put('/settings', { selfSignupEnabled: true })).status).toBe(403)
    expect((await admin.put('/settings', { selfSignupEnabled: 'yes' })).status).toBe(400)
    expect((await admin.put('/settings', { colour: 'red' })).status).toBe(400)
    const changed = await admin.put('/settings', { selfSignupEnabled: true })
    expect(changed.body).toEqual({
      selfSignupEnabled: true,
      mfaRequiredForAgents: false,
      customerPriorities: ['low', 'normal', 'high'],
    })
    expect((await admin.get('/settings')).body).toEqual(changed.body)
    const audit = await admin.get('/audit-events?action=settings.updated')
    expect(audit.body).toMatchObject({
      items: [{ details: { selfSignupEnabled: { from: false, to: true } } }],
    })
    await admin.put('/settings', { selfSignupEnabled: false })
  })
})

describe('self sign-up', () => {
  it('is refused while off', async () => {
    const answer = await anonymous(api).post('/auth/register', account('off@example.test'))
    expect(answer.status).toBe(403)
  })

  describe('when on', () => {
    beforeAll(async () => {
      await admin.put('/settings', { selfSignupEnabled: true })
    })
    afterAll(async () => {
      await admin.put('/settings', { selfSignupEnabled: false })
    })

    it('creates a customer who signs in once the mailed link confirmed the address', async () => {
      const answer = await anonymous(api).post('/auth/register', account('Carla@Example.test'))
      expect(answer.status).toBe(202)
      const credentials = { email: 'carla@example.test', password: 'carla’s long password' }
      const early = await anonymous(api).post('/auth/login', credentials)
      expect(early.status).toBe(403)
      expect(early.body).toMatchObject({ type: expect.stringContaining('email_unverified') })
      // No SMTP server here: the mail waits in the outbox, where an admin can read it.
      const outbox = (await admin.get('/mail/outbox')).body as {
        items: { id: string; to: string; subject: string }[]
      }
      const mail = outbox.items.find(
        (item) => item.to === 'carla@example.test' && item.subject.startsWith('Confirm'),
      )
      const { text } = (await admin.get(`/mail/outbox/${mail?.id}`)).body as { text: string }
      const token = /verify-email\?token=([\w-]{43})/.exec(text)?.[1]
      expect((await anonymous(api).post('/auth/verify-email', { token })).status).toBe(200)
      const login = await anonymous(api).post('/auth/login', credentials)
      expect(login.status).toBe(200)
      expect(login.body).toMatchObject({ user: { role: 'customer', name: 'Carla Customer' } })
    })

    it('answers alike for a taken email, which keeps its password', async () => {
      const taken = await createTestUser(api, { role: 'agent' })
      const answer = await anonymous(api).post('/auth/register', account(taken.email))
      expect(answer.status).toBe(202)
      expect(answer.body).toEqual({ status: 'accepted' })
      const login = await anonymous(api).post('/auth/login', {
        email: taken.email,
        password: taken.password,
      })
      expect(login.body).toMatchObject({ user: { role: 'agent' } })
    })

    it('asks for a real password', async () => {
      const answer = await anonymous(api).post('/auth/register', {
        ...account('weak@example.test'),
        password: 'short',
      })
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({ errors: [{ path: 'body.password' }] })
    })
  })
})
