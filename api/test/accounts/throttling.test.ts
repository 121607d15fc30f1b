// Sign-in throttling per account and per client address, with small limits: the answers
// never tell whether an email is registered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { anonymous, createTestUser } from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: {
        login: { points: 3, durationSeconds: 600, whenStoreDown: 'reject' },
        loginIp: { points: 100, durationSeconds: 600, whenStoreDown: 'reject' },
      },
    })
  })
  afterAll(() => api.close())

  const attempt = (email: string, password: string) =>
    anonymous(api).post('/auth/login', { email, password })

  it('locks an account after its failures, even for the right password, and says when to retry', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await attempt(user.email, 'wrong password')).status)
    const locked = await attempt(user.email, user.password)
    expect([...statuses, locked.status]).toEqual([401, 401, 401, 429])
    expect(locked.body).toMatchObject({ type: 'rate_limited' })
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('answers an unknown email exactly like a known one', async () => {
    const known = await createTestUser(api, { role: 'customer' })
    const sequence = async (email: string) => {
      const answers = []
      for (let i = 0; i < 4; i++) {
        const answer = await attempt(email, 'wrong password')
        answers.push({ status: answer.status, type: (answer.body as { type: string }).type })
      }
      return answers
    }
    const unknown = await sequence(`nobody-${known.id}@example.test`)
    expect(await sequence(known.email)).toEqual(unknown)
  })

  it('forgets an account’s failures once its owner signs in', async () => {
    const user = await createTestUser(api, { role: 'agent' })
    await attempt(user.email, 'wrong password')
    await attempt(user.email, 'wrong password')
    expect((await attempt(user.email, user.password)).status).toBe(200)
    await attempt(user.email, 'wrong password')
    await attempt(user.email, 'wrong password')
    expect((await attempt(user.email, user.password)).status).toBe(200)
  })
})

describe('per client address', () => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await environmentFor('external'), {
      rateLimits: { loginIp: { points: 4, durationSeconds: 600, whenStoreDown: 'reject' } },
    })
  })
  afterAll(() => api.close())

  it('stops guessing across many accounts from one address; successes do not reset it', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const statuses = []
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await anonymous(api).post('/auth/login', {
            email: `guess-${i}@example.test`,
            password: 'x',
          })
        ).status,
      )
    }
    statuses.push(
      (await anonymous(api).post('/auth/login', { email: user.email, password: user.password }))
        .status,
    )
    statuses.push(
      (await anonymous(api).post('/auth/login', { email: 'guess-9@example.test', password: 'x' }))
        .status,
    )
    statuses.push(
      (await anonymous(api).post('/auth/login', { email: 'guess-10@example.test', password: 'x' }))
        .status,
    )
    expect(statuses).toEqual([401, 401, 401, 200, 401, 429])
  })
})
