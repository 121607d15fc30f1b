// Property tests: whatever JSON arrives at the accounts' create and update endpoints, the
// answer is a 2xx or a 4xx problem, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type ApiClient, appWithAdmin, createTestUser } from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

let api: TestApp
let admin: ApiClient
let targetId: string
let teamId: string

beforeAll(async () => {
  ;({ api, admin } = await appWithAdmin({
    rateLimits: {
      global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' },
      register: { points: 100_000, durationSeconds: 60, whenStoreDown: 'reject' },
      loginIp: { points: 100_000, durationSeconds: 60, whenStoreDown: 'reject' },
    },
  }))
  targetId = (await createTestUser(api, { role: 'customer' })).id
  teamId = ((await admin.post('/teams', { name: 'Property team' })).body as { id: string }).id
  await admin.put('/settings', { selfSignupEnabled: true })
})
afterAll(() => api.close())

/** Plausible values and hostile ones: wrong types, huge strings, unicode, nesting, nulls. */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('customer', 'agent', 'admin', 'a long enough password', 'x@example.test', ''),
  fc.emailAddress(),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString())),
  fc.uuid(),
  fc.array(fc.uuid(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
)

function bodyWith(fields: string[]) {
  return fc.oneof(
    fc.record(Object.fromEntries(fields.map((field) => [field, value])), { requiredKeys: [] }),
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string()), value, { maxKeys: 6 }),
    fc.jsonValue(),
  )
}

const endpoints: [string, string, () => string, string[]][] = [
  ['POST', '/users', () => '/users', ['email', 'name', 'role', 'password']],
  [
    'PATCH',
    '/users/:id',
    () => `/users/${targetId}`,
    ['email', 'name', 'role', 'password', 'mfaRequired'],
  ],
  ['POST', '/teams', () => '/teams', ['name']],
  ['PATCH', '/teams/:id', () => `/teams/${teamId}`, ['name']],
  ['PUT', '/teams/:id/members', () => `/teams/${teamId}/members`, ['userIds']],
  ['PUT', '/settings', () => '/settings', ['selfSignupEnabled', 'mfaRequiredForAgents']],
  ['POST', '/auth/tokens', () => '/auth/tokens', ['name', 'expiresAt']],
  ['POST', '/auth/register', () => '/auth/register', ['email', 'name', 'password']],
  ['POST', '/auth/login', () => '/auth/login', ['email', 'password', 'totp', 'recoveryCode']],
]

describe.each(endpoints)('%s %s', (method, _route, path, fields) => {
  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyWith(fields), async (body) => {
        const answer = await admin.request(method, path(), body)
        if (answer.status >= 500)
          throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`)
        if (answer.status >= 400) expect(answer.headers.get('content-type')).toMatch('problem+json')
      }),
      { numRuns: 60 },
    )
  })
})
