// The password lifecycle against a real SMTP server (Mailpit): changing one's own password
// ends the other sessions; "forgot password" answers alike whether the address has an
// account, mails a single-use link that expires, and is rate limited; an admin's invitation
// lets the user choose their password; self sign-up confirms the address before signing in;
// `helpdesk users reset-password` prints a one-time link or a new random password.
import { type MailpitServer, startMailpit, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import {
  type ApiClient,
  anonymous,
  createTestUser,
  signedInAs,
  signIn,
  type TestUser,
} from '../support/accounts.ts'
import { startTestApp, type TestApp, testAppKeysDir } from '../support/app.ts'
import { eventually, smtpEnvironment } from '../support/mail.ts'
import { runHelpdesk } from '../support/process.ts'

let mailpit: MailpitServer
let api: TestApp
let sql: pg.Pool
let admin: ApiClient
let environment: Record<string, string>

beforeAll(async () => {
  mailpit = await startMailpit()
  const databaseUrl = await testServices.postgres().createDatabase('passwords')
  sql = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  environment = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testServices.redis().url,
    HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
    ...smtpEnvironment(mailpit),
  } as Record<string, string>
  // Unprefixed Redis keys, as in production: the CLI (another process) ends the sessions.
  api = await startTestApp(environment, { jobs: { pollMs: 20 }, redisKeyPrefix: '' })
  admin = (await signedInAs(api, { role: 'admin' })).client
  await admin.put('/mail/settings', { notificationWindowSeconds: 0 })
})

afterAll(async () => {
  await api?.close()
  await sql?.end()
  await mailpit?.stop()
})

/** The token of the `count`th mailed link to `path` (set-password, verify-email) for `email`. */
async function mailedToken(
  email: string,
  subject: string,
  path: string,
  count = 1,
): Promise<string> {
  const [mail] = (await mailpit.waitFor(`to:${email} subject:"${subject}"`, count)).slice(-1)
  const text = (await mailpit.message(mail!.ID)).Text
  const token = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]{43})`).exec(text)?.[1]
  if (!token) throw new Error(`no ${path} link in: ${text}`)
  return token
}

const login = (user: { email: string; password: string }) =>
  anonymous(api).post('/auth/login', { email: user.email, password: user.password })

/** Waits until every "forgot password" request has been handled by the job queue. */
const resetJobsDone = () =>
  eventually(
    async () =>
      (await sql.query(`select 1 from jobs where kind = 'accounts.password-reset'`)).rowCount === 0,
    { what: 'the password-reset jobs' },
  )

describe('changing one’s own password', () => {
  let user: TestUser
  let here: ApiClient
  let elsewhere: ApiClient

  beforeAll(async () => {
    user = await createTestUser(api, { role: 'agent' })
    here = await signIn(api, user)
    elsewhere = await signIn(api, user)
  })

  it('needs the current password, and a new one that differs', async () => {
    const wrong = await here.post('/auth/password', {
      currentPassword: 'not my password at all',
      newPassword: 'a brand new long password',
    })
    expect(wrong.status).toBe(422)
    const same = await here.post('/auth/password', {
      currentPassword: user.password,
      newPassword: user.password,
    })
    expect(same.status).toBe(422)
    expect((await elsewhere.get('/auth/me')).status).toBe(200)
  })

  it('keeps this browser signed in and ends every other session', async () => {
    const changed = await here.post('/auth/password', {
      currentPassword: user.password,
      newPassword: 'a brand new long password',
    })
    expect(changed.status).toBe(200)
    here.adoptCsrfToken((changed.body as { csrfToken: string }).csrfToken)
    expect((await here.get('/auth/me')).status).toBe(200)
    expect((await elsewhere.get('/auth/me')).status).toBe(401)
    expect((await login(user)).status).toBe(401)
    expect((await login({ ...user, password: 'a brand new long password' })).status).toBe(200)
  })
})

describe('forgot password', () => {
  it('answers alike for an unknown address, which gets no mail', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const known = await anonymous(api).post('/auth/password/forgot', { email: user.email })
    const unknown = await anonymous(api).post('/auth/password/forgot', {
      email: 'nobody-here@example.test',
    })
    expect(known.status).toBe(202)
    expect(unknown.status).toBe(202)
    expect(unknown.body).toEqual(known.body)
    await mailedToken(user.email, 'Reset your Helpdesk password', 'set-password')
    await resetJobsDone()
    expect(
      (
        await sql.query('select 1 from outbound_mail where recipient = $1', [
          'nobody-here@example.test',
        ])
      ).rowCount,
    ).toBe(0)
  })

  it('mails a link that sets a new password once and ends the sessions', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const session = await signIn(api, user)
    await anonymous(api).post('/auth/password/forgot', { email: user.email })
    const token = await mailedToken(user.email, 'Reset your Helpdesk password', 'set-password')
    const reset = await anonymous(api).post('/auth/password/reset', {
      token,
      password: 'my recovered long password',
    })
    expect(reset.status).toBe(204)
    expect((await session.get('/auth/me')).status).toBe(401)
    expect((await login({ ...user, password: 'my recovered long password' })).status).toBe(200)
    const again = await anonymous(api).post('/auth/password/reset', {
      token,
      password: 'someone else’s long password',
    })
    expect(again.status).toBe(422)
    expect(again.body).toMatchObject({ type: expect.stringContaining('token_invalid') })
  })

  it('refuses an expired link', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    await anonymous(api).post('/auth/password/forgot', { email: user.email })
    const token = await mailedToken(user.email, 'Reset your Helpdesk password', 'set-password')
    await sql.query(
      `update account_tokens set expires_at = now() - interval '1 second'
       where user_id = $1 and purpose = 'password_reset'`,
      [user.id],
    )
    const reset = await anonymous(api).post('/auth/password/reset', {
      token,
      password: 'too late long password',
    })
    expect(reset.status).toBe(422)
    expect((await login(user)).status).toBe(200)
  })

  it('is rate limited per address, known or not, with the same answer', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    for (const email of [user.email, `nobody-${user.id}@example.test`]) {
      const answers = []
      for (let attempt = 0; attempt < 4; attempt++) {
        answers.push((await anonymous(api).post('/auth/password/forgot', { email })).status)
      }
      expect(answers).toEqual([202, 202, 202, 429])
    }
  })
})

describe('an admin’s invitation', () => {
  it('mails a link with which a new user chooses their first password', async () => {
    const created = await admin.post('/users', {
      email: 'invited@example.test',
      name: 'Ivy Invited',
      role: 'agent',
    })
    expect(created.status).toBe(201)
    const { id } = created.body as { id: string }
    expect((await admin.post(`/users/${id}/invitation`)).status).toBe(202)
    const token = await mailedToken(
      'invited@example.test',
      'You are invited to Helpdesk',
      'set-password',
    )
    const set = await anonymous(api).post('/auth/password/reset', {
      token,
      password: 'ivy’s own long password',
    })
    expect(set.status).toBe(204)
    expect(
      (await login({ email: 'invited@example.test', password: 'ivy’s own long password' })).status,
    ).toBe(200)
  })

  it('is an admin’s to send', async () => {
    const { client: agent, user } = await signedInAs(api, { role: 'agent' })
    expect((await agent.post(`/users/${user.id}/invitation`)).status).toBe(403)
  })
})

describe('self sign-up', () => {
  beforeAll(async () => {
    await admin.put('/settings', { selfSignupEnabled: true })
  })
  afterAll(async () => {
    await admin.put('/settings', { selfSignupEnabled: false })
  })

  it('signs in only after the mailed link confirmed the address', async () => {
    const account = {
      email: 'selfie@example.test',
      name: 'Sam Selfie',
      password: 'sam’s long password',
    }
    expect((await anonymous(api).post('/auth/register', account)).status).toBe(202)
    const early = await login(account)
    expect(early.status).toBe(403)
    expect(early.body).toMatchObject({ type: expect.stringContaining('email_unverified') })
    // Signing in unconfirmed mails a fresh link; only the newest one works.
    const token = await mailedToken(
      account.email,
      'Confirm your address for Helpdesk',
      'verify-email',
      2,
    )
    const verified = await anonymous(api).post('/auth/verify-email', { token })
    expect(verified.body).toEqual({ status: 'verified' })
    expect((await login(account)).status).toBe(200)
  })
})

describe('helpdesk users reset-password', () => {
  // Each run starts a process that loads the whole app: slow on a loaded machine.
  const CLI_TIMEOUT_MS = 180_000

  it(
    'prints a one-time link for a locked-out admin',
    async () => {
      const locked = await createTestUser(api, { role: 'admin', mfa: false })
      const run = await runHelpdesk(['users', 'reset-password', locked.email], environment)
      expect(run.code).toBe(0)
      const printed = JSON.parse(run.stdout) as { link: string; expiresInMinutes: number }
      expect(printed.expiresInMinutes).toBe(60)
      const token = new URL(printed.link).searchParams.get('token') as string
      const set = await anonymous(api).post('/auth/password/reset', {
        token,
        password: 'the admin’s new long password',
      })
      expect(set.status).toBe(204)
      expect((await login({ ...locked, password: 'the admin’s new long password' })).status).toBe(
        200,
      )
    },
    CLI_TIMEOUT_MS,
  )

  it(
    'sets and prints a new random password, ending the sessions',
    async () => {
      const locked = await createTestUser(api, { role: 'agent' })
      const session = await signIn(api, locked)
      const run = await runHelpdesk(
        ['users', 'reset-password', locked.email, '--random-password'],
        environment,
      )
      expect(run.code).toBe(0)
      const { password } = JSON.parse(run.stdout) as { password: string }
      expect(password.length).toBeGreaterThanOrEqual(20)
      expect((await session.get('/auth/me')).status).toBe(401)
      expect((await login(locked)).status).toBe(401)
      expect((await login({ ...locked, password })).status).toBe(200)
    },
    CLI_TIMEOUT_MS,
  )

  it(
    'says so for an unknown address',
    async () => {
      const run = await runHelpdesk(['users', 'reset-password', 'ghost@example.test'], environment)
      expect(run.code).not.toBe(0)
      expect(run.stderr).toContain('no user with the address ghost@example.test')
    },
    CLI_TIMEOUT_MS,
  )
})
