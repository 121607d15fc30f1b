// Every list's cursor — found in the OpenAPI document — answers 400 for anything that is not a
// cursor it gave out: garbage, another list's cursor, or one of its own with its values
// changed to what Postgres cannot read (the audit log once answered 500 here, and a NUL in the
// users' or teams' cursor 503). Embedded mode and Postgres alike.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Values no cursor key may hold: NUL, text longer than any key, wrong types. */
const NEVER_VALID: unknown[] = ['\u0000', 'x'.repeat(5000), -1, 1e308, null, {}]
/** Values a typed key (a time, an id, a sort name, a number) must not hold either. */
const BAD_VALUES: unknown[] = [
  '\u0000',
  'x',
  '0000-01-01T00:00:00Z',
  '2026-02-30 10:00:00+00',
  '9999-99-99 99:99:99+00',
  'x'.repeat(5000),
  -1,
  1e308,
  null,
  {},
]

describe.each(MODES)('%s', (mode) => {
  let api: TestApp
  let admin: ApiClient
  let lists: { operationId: string; path: string }[]

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: { global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    admin = await signIn(api, await createTestUser(api, { role: 'admin' }))
    // Two of everything, so that every list has a second page.
    await createTestUser(api, { role: 'customer' })
    for (const name of ['Billing', 'Returns']) await admin.post('/teams', { name })
    for (const name of ['one', 'two']) await admin.post('/auth/tokens', { name })
    for (const shortcut of ['one', 'two']) {
      await admin.post('/canned-responses', { shortcut, title: shortcut, body: shortcut })
    }
    const ticket = await admin.post('/tickets', { subject: 'Two pages', body: 'first' })
    const ticketId = (ticket.body as { id: string }).id
    await admin.post(`/tickets/${ticketId}/messages`, { body: 'second' })
    await admin.patch(`/tickets/${ticketId}`, { priority: 'high' })
    await admin.post('/tickets', { subject: 'Another', body: 'first' })
    for (const to of ['one@example.test', 'two@example.test']) {
      await admin.post('/mail/test', { to })
    }
    // A channel to a server that does not exist, with two mails it read (as if).
    const channel = await admin.post('/mail/channels', {
      name: 'pages',
      address: 'pages@example.test',
      host: 'imap.invalid',
      port: 993,
      security: 'tls',
      username: 'pages',
      password: 'not a real password',
    })
    const channelId = (channel.body as { id: string }).id
    for (const messageId of ['<one@example.test>', '<two@example.test>']) {
      await api.app.services.orm.em.fork().execute(
        `insert into inbound_messages (channel_id, message_id, from_address, subject, outcome, reason)
         values (?, ?, 'someone@example.test', 'Hello', 'ignored', 'test')`,
        [channelId, messageId],
      )
    }
    const document = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { operationId: string; parameters?: { name: string }[] }>
      >
    }
    lists = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.values(methods)
        .filter((operation) =>
          operation.parameters?.some((parameter) => parameter.name === 'cursor'),
        )
        .map((operation) => ({
          operationId: operation.operationId,
          path: path
            .replace('/api/v1', '')
            .replace('{id}', path.includes('/mail/channels/') ? channelId : ticketId),
        })),
    )
  })
  afterAll(() => api.close())

  async function expectRejected(path: string, cursor: string, name: string) {
    const answer = await admin.get(`${path}?limit=1&cursor=${encodeURIComponent(cursor)}`)
    expect({ name, status: answer.status, body: answer.body }).toEqual({
      name,
      status: 400,
      body: expect.objectContaining({
        type: 'validation_error',
        errors: [{ path: 'query.cursor', message: expect.any(String) }],
      }),
    })
  }

  it('every list answers 400 to a cursor it did not give out', async () => {
    expect(lists.map((list) => list.operationId).sort()).toEqual(
      expect.arrayContaining([
        'listAuditEvents',
        'listCannedResponses',
        'listTeams',
        'listTickets',
        'listTokens',
        'listUsers',
      ]),
    )
    for (const { operationId, path } of lists) {
      const first = await admin.get(`${path}?limit=1`)
      expect({ operationId, status: first.status }).toEqual({ operationId, status: 200 })
      const cursor = (first.body as { nextCursor: string | null }).nextCursor
      expect({ operationId, cursor }).toEqual({ operationId, cursor: expect.any(String) })
      const next = await admin.get(`${path}?limit=1&cursor=${cursor}`)
      expect({ operationId, status: next.status }).toEqual({ operationId, status: 200 })

      for (const garbage of ['not a cursor', '%%%', encode('x'), encode([]), encode({})]) {
        await expectRejected(path, garbage, `${operationId} ${garbage}`)
      }
      const key = JSON.parse(Buffer.from(cursor as string, 'base64url').toString()) as unknown[]
      await expectRejected(path, encode([...key, 'extra']), `${operationId} longer`)
      await expectRejected(path, encode(key.slice(0, -1)), `${operationId} shorter`)
      for (const [index, original] of key.entries()) {
        // A name (users, teams) may be any text: only what no name can be is refused there.
        const typed = /^(\d|[0-9a-f]{8}-|updated$)/.test(String(original))
        for (const bad of typed ? BAD_VALUES : NEVER_VALID) {
          const changed = key.map((value, at) => (at === index ? bad : value))
          await expectRejected(
            path,
            encode(changed),
            `${operationId} [${index}] = ${JSON.stringify(bad)?.slice(0, 40)}`,
          )
        }
      }
    }
  })
})
