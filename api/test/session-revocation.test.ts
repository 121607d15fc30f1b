// Each API process keeps short-lived copies of the sessions it read (sessions/cache.ts). A
// session ended in one process must stop working in every other one that shares Redis: here
// a second, real `helpdesk serve` process holds a copy for an hour (HELPDESK_SESSION_CACHE_
// SECONDS), so only the revocation published over Redis can end it there.
import { testServices } from '@helpdesk/harness'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { Redis } from 'ioredis'
import { sessionKey } from '../src/sessions/store.ts'
import { ApiClient, createTestUser, signIn } from './support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from './support/app.ts'
import {
  HELPDESK_CLI,
  killServerProcesses,
  type ServerProcess,
  startServerProcess,
} from './support/process.ts'

const CACHE_FOR_AN_HOUR = { HELPDESK_SESSION_CACHE_SECONDS: '3600' }
const redis = new Redis(testServices.redis().url)

let first: TestApp
let second: ServerProcess

beforeAll(async () => {
  const environment = { ...(await externalEnvironment()), ...CACHE_FOR_AN_HOUR }
  // Both processes see the same Redis keys: the serve process uses no key prefix.
  first = await startTestApp(environment, { redisKeyPrefix: '' })
  second = await startServerProcess(HELPDESK_CLI, environment as Record<string, string>, ['serve'])
})
afterAll(async () => {
  killServerProcesses()
  await first?.close()
  await redis.quit()
})
afterEach(() => expect(second.child.exitCode).toBeNull())

/** The same browser session, sent to the second process. */
function atSecond(client: ApiClient): ApiClient {
  return new ApiClient(second.url, { cookie: client.cookie, csrfToken: client.csrfToken })
}

/** Asks until the session is refused: the revocation arrives asynchronously, over Redis. */
async function untilRefused(client: ApiClient): Promise<void> {
  while ((await client.get('/auth/me')).status !== 401) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('session revocation across API processes', () => {
  it('the other process answers from its copy, so the tests below need the revocation', async () => {
    const there = atSecond(await signIn(first, await createTestUser(first, { role: 'agent' })))
    expect((await there.get('/auth/me')).status).toBe(200)
    const sessionId = there.cookie?.split('=')[1] as string
    // Gone from Redis without a revocation, as if the message had been lost.
    expect(await redis.del(`session:${sessionKey(sessionId)}`)).toBe(1)
    expect((await there.get('/auth/me')).status).toBe(200)
  })

  it('a sign-out in one process ends the session the other holds a copy of', async () => {
    const user = await createTestUser(first, { role: 'agent' })
    const here = await signIn(first, user)
    const there = atSecond(here)
    expect((await there.get('/auth/me')).status).toBe(200)
    expect((await there.get('/tickets')).status).toBe(200)

    expect((await here.post('/auth/logout')).status).toBe(204)
    expect((await here.get('/auth/me')).status).toBe(401)
    await untilRefused(there)
    expect((await there.get('/tickets')).status).toBe(401)
  })

  it('"sign out everywhere" in the other process ends every copy in this one', async () => {
    const user = await createTestUser(first, { role: 'agent' })
    const [tab, otherTab] = [await signIn(first, user), await signIn(first, user)]
    expect((await tab.get('/auth/me')).status).toBe(200)
    expect((await otherTab.get('/auth/me')).status).toBe(200)

    expect((await atSecond(tab).post('/auth/logout', { everywhere: true })).status).toBe(204)
    await untilRefused(tab)
    await untilRefused(otherTab)
  })

  it('an administrator’s role change ends the sessions the other process holds', async () => {
    const admin = await createTestUser(first, { role: 'admin' })
    const agent = await createTestUser(first, { role: 'agent' })
    const there = atSecond(await signIn(first, agent))
    expect((await there.get('/tickets')).status).toBe(200)

    const adminClient = await signIn(first, admin)
    expect((await adminClient.patch(`/users/${agent.id}`, { role: 'customer' })).status).toBe(200)
    await untilRefused(there)
  })

  it('requiring MFA of agents in one process withholds what the other’s agent sessions may do', async () => {
    const admin = await createTestUser(first, { role: 'admin' })
    const there = atSecond(await signIn(first, await createTestUser(first, { role: 'agent' })))
    expect((await there.get('/tickets')).status).toBe(200)

    const adminClient = await signIn(first, admin)
    expect((await adminClient.put('/settings', { mfaRequiredForAgents: true })).status).toBe(200)
    try {
      // The session goes on; only what it may do changed, and the other process hears of it.
      while ((await there.get('/tickets')).status !== 403) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const refused = await there.get('/tickets')
      expect(refused.body).toMatchObject({
        type: expect.stringMatching(/mfa_enrollment_required$/),
      })
      expect((await there.get('/auth/me')).status).toBe(200)
    } finally {
      await adminClient.put('/settings', { mfaRequiredForAgents: false })
    }
  })

  it('a permission granted in one process is not refused by the other process’s older copy', async () => {
    const agent = await createTestUser(first, { role: 'agent' })
    const requireMfa = (required: boolean) =>
      first.app.services.orm.em
        .fork()
        .execute('update users set mfa_required = ? where id = ?', [required, agent.id])
    await requireMfa(true)
    const there = atSecond(await signIn(first, agent))
    const before = await there.get('/tickets')
    expect(before.body).toMatchObject({ type: expect.stringMatching(/mfa_enrollment_required$/) })

    // Changed with no announcement: the state of a change whose message is still on its way.
    await requireMfa(false)
    expect((await there.get('/tickets')).status).toBe(200)
  })
})
