// Canned responses: shared ones (admins shape them) and each person's own, unique shortcuts
// (409 shortcut_taken), only known placeholders (422 unknown_placeholder naming them), filled
// for a ticket; customers never see any, nobody sees another person's own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { systemOrigin } from '../../src/audit/commands.ts'
import {
  fillPlaceholders,
  type PlaceholderContext,
  unknownPlaceholders,
} from '../../src/canned-responses/placeholders.ts'
import { erasePersonalData } from '../../src/privacy/commands.ts'
import { type ApiClient, appWithAdmin, createTestUser, signIn } from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient
let ada: ApiClient
let bob: ApiClient
let customer: ApiClient

interface Response {
  id: string
  shortcut: string
  title: string
  body: string
  shared: boolean
}

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin())
  const adaUser = await createTestUser(api, { role: 'agent', name: 'Ada Lovelace' })
  ada = await signIn(api, adaUser)
  bob = await signIn(api, await createTestUser(api, { role: 'agent' }))
  customer = await signIn(
    api,
    await createTestUser(api, {
      role: 'customer',
      name: 'Carla Jones',
      email: `carla-${Date.now()}@example.test`,
    }),
  )
})
afterAll(() => api.close())

async function created(client: ApiClient, input: Record<string, unknown>): Promise<Response> {
  const answer = await client.post('/canned-responses', input)
  expect(answer.status).toBe(201)
  return answer.body as Response
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await api.app.services.orm.em
    .fork()
    .execute<{ action: string }[]>(
      'select action from audit_events where target_id = ? order by at',
      [targetId],
    )
  return rows.map((row) => row.action)
}

describe('canned responses', () => {
  it('are created, read, changed and deleted: shared by admins, audited', async () => {
    const shared = await created(admin, {
      shortcut: 'Thanks',
      title: 'Thank you',
      body: 'Thanks, {{ customer.firstName }}!',
      shared: true,
    })
    expect(shared).toEqual({
      id: expect.any(String),
      shortcut: 'thanks',
      title: 'Thank you',
      body: 'Thanks, {{ customer.firstName }}!',
      shared: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    expect((await ada.get(`/canned-responses/${shared.id}`)).body).toMatchObject({ shared: true })
    const changed = await admin.patch(`/canned-responses/${shared.id}`, { title: 'Thanks!' })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ title: 'Thanks!', shortcut: 'thanks' })
    const logged = (await admin.get('/audit-events?action=canned_response.&limit=100')).body as {
      items: { targetId: string; targetName: string | null }[]
    }
    const aboutIt = logged.items.filter((event) => event.targetId === shared.id)
    expect(aboutIt.map((event) => event.targetName)).toEqual(['Thanks!', 'Thanks!'])
    expect((await admin.delete(`/canned-responses/${shared.id}`)).status).toBe(204)
    expect((await admin.get(`/canned-responses/${shared.id}`)).status).toBe(404)
    expect(await auditActions(shared.id)).toEqual([
      'canned_response.created',
      'canned_response.updated',
      'canned_response.deleted',
    ])
  })

  it('are an agent’s own to keep, unaudited, and listed with the shared ones by shortcut', async () => {
    const own = await created(ada, { shortcut: 'ada-hello', title: 'Hello', body: 'Hello!' })
    expect(own.shared).toBe(false)
    const shared = await created(admin, {
      shortcut: 'ada-bye',
      title: 'Bye',
      body: 'Bye!',
      shared: true,
    })
    const bobs = await created(bob, { shortcut: 'ada-zzz', title: 'Bob’s', body: 'Mine' })
    const list = async (client: ApiClient, scope = 'all') =>
      (
        (await client.get(`/canned-responses?limit=100&scope=${scope}`)).body as {
          items: Response[]
        }
      ).items
        .map((item) => item.shortcut)
        .filter((shortcut) => shortcut.startsWith('ada-'))
    expect(await list(ada)).toEqual(['ada-bye', 'ada-hello'])
    expect(await list(ada, 'personal')).toEqual(['ada-hello'])
    expect(await list(ada, 'shared')).toEqual(['ada-bye'])
    expect(await list(bob)).toEqual(['ada-bye', 'ada-zzz'])
    expect(await auditActions(own.id)).toEqual([])
    expect((await ada.patch(`/canned-responses/${own.id}`, { body: 'Hi!' })).status).toBe(200)
    expect((await ada.delete(`/canned-responses/${own.id}`)).status).toBe(204)
    await admin.delete(`/canned-responses/${shared.id}`)
    await bob.delete(`/canned-responses/${bobs.id}`)
  })

  it('page by shortcut', async () => {
    for (const suffix of ['c', 'a', 'b']) {
      await created(bob, { shortcut: `page-${suffix}`, title: suffix, body: suffix })
    }
    const shortcuts: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await bob.get(`/canned-responses?scope=personal&limit=2${query}`)).body as {
        items: Response[]
        nextCursor: string | null
      }
      shortcuts.push(...page.items.map((item) => item.shortcut))
      cursor = page.nextCursor
    } while (cursor)
    expect(shortcuts.filter((s) => s.startsWith('page-'))).toEqual(['page-a', 'page-b', 'page-c'])
  })

  it('refuse a shortcut taken among the shared ones or one person’s own with 409', async () => {
    await created(admin, { shortcut: 'refund', title: 'Refund', body: 'Refunded.', shared: true })
    const clash = await admin.post('/canned-responses', {
      shortcut: 'REFUND',
      title: 'Again',
      body: 'Again.',
      shared: true,
    })
    expect(clash.status).toBe(409)
    expect(clash.body).toMatchObject({
      type: 'shortcut_taken',
      errors: [{ path: 'body.shortcut', message: 'already in use' }],
    })
    // One's own may have the shortcut of a shared one, but only once.
    const own = await created(ada, { shortcut: 'refund', title: 'Mine', body: 'My way.' })
    const again = { shortcut: own.shortcut, title: own.title, body: own.body }
    expect((await ada.post('/canned-responses', again)).status).toBe(409)
    const other = await created(ada, { shortcut: 'refund-2', title: 'Two', body: 'Two.' })
    const renamed = await ada.patch(`/canned-responses/${other.id}`, { shortcut: 'refund' })
    expect(renamed.status).toBe(409)
    expect(renamed.body).toMatchObject({ type: 'shortcut_taken' })
    // Bob's own namespace is his.
    expect((await bob.post('/canned-responses', again)).status).toBe(201)
  })

  it('refuse an unknown placeholder with 422 unknown_placeholder, naming it', async () => {
    const answer = await ada.post('/canned-responses', {
      shortcut: 'typo',
      title: 'Typo',
      body: 'Hi {{customer.name}}, {{ customer.nmae }} and {{ticket.id}}',
    })
    expect(answer.status).toBe(422)
    expect(answer.body).toMatchObject({
      type: 'unknown_placeholder',
      errors: [
        { path: 'body.body', message: 'unknown placeholder {{customer.nmae}}' },
        { path: 'body.body', message: 'unknown placeholder {{ticket.id}}' },
      ],
    })
    expect((answer.body as { detail: string }).detail).toContain('{{customer.nmae}}')
    const own = await created(ada, { shortcut: 'typo', title: 'Typo', body: 'Fine.' })
    const changed = await ada.patch(`/canned-responses/${own.id}`, { body: '{{agent.email}}' })
    expect(changed.status).toBe(422)
    expect(changed.body).toMatchObject({ type: 'unknown_placeholder' })
    expect((await ada.get(`/canned-responses/${own.id}`)).body).toMatchObject({ body: 'Fine.' })
  })

  it('list the placeholders they may hold', async () => {
    const answer = await ada.get('/canned-responses/placeholders')
    expect(answer.status).toBe(200)
    const names = (answer.body as { items: { placeholder: string }[] }).items.map(
      (item) => item.placeholder,
    )
    expect(names).toEqual(
      expect.arrayContaining([
        '{{customer.name}}',
        '{{customer.email}}',
        '{{agent.name}}',
        '{{ticket.number}}',
        '{{ticket.subject}}',
      ]),
    )
  })

  it('are filled in for a ticket the agent may read', async () => {
    const ticket = (await customer.post('/tickets', { subject: 'Printer smokes', body: 'Help' }))
      .body as { id: string; number: number }
    const response = await created(ada, {
      shortcut: 'fill',
      title: 'Fill',
      body: 'Hi {{customer.firstName}} ({{customer.email}}), about #{{ticket.number}} “{{ticket.subject}}”. {{agent.name}}',
    })
    const rendered = await ada.get(
      `/canned-responses/${response.id}/rendered?ticketId=${ticket.id}`,
    )
    expect(rendered.status).toBe(200)
    expect((rendered.body as { body: string }).body).toMatch(
      new RegExp(
        `^Hi Carla \\(carla-\\d+@example\\.test\\), about #${ticket.number} “Printer smokes”\\. Ada Lovelace$`,
      ),
    )
    const missing = await ada.get(
      `/canned-responses/${response.id}/rendered?ticketId=0b8f4e2a-6f5e-4c57-9d0e-2d5f1c3b7a11`,
    )
    expect(missing.status).toBe(404)
    // Bob may not use Ada's own, not even to fill it in.
    expect(
      (await bob.get(`/canned-responses/${response.id}/rendered?ticketId=${ticket.id}`)).status,
    ).toBe(404)
  })

  it('are never shown to customers', async () => {
    const shared = await created(admin, {
      shortcut: 'secret',
      title: 'Internal',
      body: 'x',
      shared: true,
    })
    expect((await customer.get('/canned-responses')).status).toBe(403)
    expect((await customer.get(`/canned-responses/${shared.id}`)).status).toBe(403)
    expect((await customer.get('/canned-responses/placeholders')).status).toBe(403)
    const write = await customer.post('/canned-responses', { shortcut: 'x', title: 'x', body: 'x' })
    expect(write.status).toBe(403)
    expect((await customer.delete(`/canned-responses/${shared.id}`)).status).toBe(403)
  })

  it('of one agent are hidden from and unchangeable by another; shared ones only by admins', async () => {
    const adas = await created(ada, { shortcut: 'private', title: 'Mine', body: 'Mine.' })
    expect((await bob.get(`/canned-responses/${adas.id}`)).status).toBe(404)
    expect((await bob.patch(`/canned-responses/${adas.id}`, { body: 'Bob’s now' })).status).toBe(
      404,
    )
    expect((await bob.delete(`/canned-responses/${adas.id}`)).status).toBe(404)
    expect((await admin.get(`/canned-responses/${adas.id}`)).status).toBe(404)
    expect((await admin.patch(`/canned-responses/${adas.id}`, { body: 'Admin’s' })).status).toBe(
      404,
    )
    expect((await ada.get(`/canned-responses/${adas.id}`)).body).toMatchObject({ body: 'Mine.' })

    const refused = await ada.post('/canned-responses', {
      shortcut: 'agent-shared',
      title: 'Shared',
      body: 'x',
      shared: true,
    })
    expect(refused.status).toBe(403)
    const shared = await created(admin, {
      shortcut: 'admins-only',
      title: 'Shared',
      body: 'x',
      shared: true,
    })
    expect((await ada.patch(`/canned-responses/${shared.id}`, { body: 'y' })).status).toBe(403)
    expect((await ada.delete(`/canned-responses/${shared.id}`)).status).toBe(403)
    expect((await admin.get(`/canned-responses/${shared.id}`)).body).toMatchObject({ body: 'x' })
  })

  it('shared are held from an admin without two-factor sign-in; their own are not', async () => {
    const unenrolled = await signIn(api, await createTestUser(api, { role: 'admin', mfa: false }))
    const shared = await unenrolled.post('/canned-responses', {
      shortcut: 'held',
      title: 'Held',
      body: 'x',
      shared: true,
    })
    expect(shared.status).toBe(403)
    expect(shared.body).toMatchObject({ type: 'mfa_enrollment_required' })
    const own = await unenrolled.post('/canned-responses', {
      shortcut: 'held',
      title: 'Mine',
      body: 'x',
    })
    expect(own.status).toBe(201)
  })

  it('of a person are in their export and go with them when their data is erased', async () => {
    const doomedUser = await createTestUser(api, { role: 'agent' })
    const doomed = await signIn(api, doomedUser)
    const own = await created(doomed, { shortcut: 'mine', title: 'Mine', body: 'Mine.' })
    const exported = await doomed.get(`/users/${doomedUser.id}/export`)
    expect(exported.status).toBe(200)
    expect(exported.body).toMatchObject({ cannedResponses: [{ shortcut: 'mine', body: 'Mine.' }] })
    const em = api.app.services.orm.em.fork()
    await erasePersonalData(em, systemOrigin(), api.app.services.storage, doomedUser.id)
    expect(await em.execute('select id from canned_responses where id = ?', [own.id])).toEqual([])
  })
})

describe('placeholders', () => {
  const context: PlaceholderContext = {
    customer: { name: 'Carla  Jones', email: 'carla@example.test' },
    agent: { name: 'Ada Lovelace' },
    ticket: { number: 42, subject: 'Printer' },
  }

  it('are found when unknown, each once, spaces inside the braces allowed', () => {
    expect(unknownPlaceholders('{{ a }} {{customer.name}} {{a}} {{ customer name }}')).toEqual([
      'a',
      'customer name',
    ])
    expect(unknownPlaceholders('no placeholders, {single} braces')).toEqual([])
  })

  it('are filled; unknown ones stay as written', () => {
    expect(
      fillPlaceholders(
        'Hi {{customer.firstName}}, {{ customer.name }} <{{customer.email}}> #{{ticket.number}} {{ticket.subject}} — {{agent.firstName}} {{other}}',
        context,
      ),
    ).toBe('Hi Carla, Carla  Jones <carla@example.test> #42 Printer — Ada {{other}}')
  })

  it('are not taken from the object prototype', () => {
    expect(unknownPlaceholders('{{constructor}} {{__proto__}} {{toString}}')).toHaveLength(3)
  })
})
