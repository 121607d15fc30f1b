// Users and signed-in clients for tests: users are created with the real command (argon2id
// hashing included); clients sign in through the real login route and send X-CSRFToken, or
// carry an API token made through the real token route.
import { randomBytes } from 'node:crypto'
import { createUser } from '../../src/accounts/commands.ts'
import { fromBase32, totpCode, totpStep } from '../../src/accounts/totp.ts'
import type { AppOptions } from '../../src/app.ts'
import type { Role } from '../../src/policies/roles.ts'
import { externalEnvironment, startTestApp, type TestApp } from './app.ts'

export interface TestUser {
  id: string
  email: string
  name: string
  role: Role
  password: string
  /** Set once the user has enrolled TOTP (admins, by default). */
  totpSecret?: string
  recoveryCodes?: string[]
  /** The newest TOTP step a sign-in used: the server refuses older ones as replays. */
  lastTotpStep?: number
}

export interface NewTestUser {
  role: Role
  name?: string
  email?: string
  password?: string
  /** Enrol TOTP through the API. @default true for admins (they need it), else false */
  mfa?: boolean
}

let sequence = 0

/** A user of `role` with a unique email; admins have MFA enrolled unless `mfa: false`. */
export async function createTestUser(api: TestApp, options: NewTestUser): Promise<TestUser> {
  sequence += 1
  const unique = `${Date.now().toString(36)}${sequence}${randomBytes(3).toString('hex')}`
  const input = {
    role: options.role,
    name: options.name ?? `${options.role[0]?.toUpperCase()}${options.role.slice(1)} ${unique}`,
    email: options.email ?? `${options.role}-${unique}@example.test`,
    password: options.password ?? `pw-${unique}-${randomBytes(6).toString('hex')}`,
  }
  const created = await createUser(api.app.services.orm.em.fork(), input)
  const user: TestUser = { ...input, id: created.id }
  if (options.mfa ?? options.role === 'admin') await enrolTotp(api, user)
  return user
}

/**
 * Turns TOTP on through setup + enable, as the web app does: in `client`'s session, or in a
 * new one (enabling ends the user's other sessions).
 */
export async function enrolTotp(api: TestApp, user: TestUser, client?: ApiClient): Promise<void> {
  client ??= await signIn(api, user)
  const setup = await client.post('/auth/mfa/totp/setup')
  expectStatus(setup, 200)
  const secret = (setup.body as { secret: string }).secret
  user.totpSecret = secret
  const enabled = await client.post('/auth/mfa/totp/enable', { code: nextTotp(user) })
  expectStatus(enabled, 200)
  user.recoveryCodes = (enabled.body as { recoveryCodes: string[] }).recoveryCodes
}

/**
 * A TOTP code the server has not seen yet: from the current or next step, newer than the last
 * one used (never the previous step: on a busy machine the server may already be a step
 * further when the code arrives). When both are spent it is null.
 */
export function nextTotp(user: TestUser): string | null {
  if (!user.totpSecret) return null
  const now = totpStep(Date.now())
  const step = Math.max(now, (user.lastTotpStep ?? -Infinity) + 1)
  if (step > now + 1) return null
  user.lastTotpStep = step
  return totpCode(fromBase32(user.totpSecret), step)
}

export interface ApiAnswer {
  status: number
  headers: Headers
  /** Parsed JSON, or the text when the answer is not JSON, or undefined when empty. */
  body: unknown
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** Sends no X-CSRFToken even when signed in with a session. */
  withoutCsrf?: boolean
}

/** Calls /api/v1 as one user (or anonymously), like a browser or a script would. */
export class ApiClient {
  readonly #base: string
  #cookie: string | undefined
  #csrfToken: string | undefined
  readonly #bearer: string | undefined

  constructor(
    base: string,
    credentials: { cookie?: string; csrfToken?: string; bearer?: string } = {},
  ) {
    this.#base = base
    this.#cookie = credentials.cookie
    this.#csrfToken = credentials.csrfToken
    this.#bearer = credentials.bearer
  }

  get csrfToken(): string | undefined {
    return this.#csrfToken
  }

  get cookie(): string | undefined {
    return this.#cookie
  }

  /** A raw fetch under /api/v1 with this client's credentials (multipart uploads, downloads). */
  fetch(path: string, init: RequestInit & { withoutCsrf?: boolean } = {}): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    if (this.#bearer) headers.set('Authorization', `Bearer ${this.#bearer}`)
    if (this.#cookie) headers.set('Cookie', this.#cookie)
    if (this.#csrfToken && !init.withoutCsrf && !['GET', 'HEAD'].includes(method)) {
      headers.set('X-CSRFToken', this.#csrfToken)
    }
    return fetch(`${this.#base}/api/v1${path}`, { ...init, method, headers })
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiAnswer> {
    const response = await this.fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.withoutCsrf ? { withoutCsrf: true } : {}),
    })
    this.#keepSession(response)
    return { status: response.status, headers: response.headers, body: await parseBody(response) }
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, undefined, options)
  }
  post(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('POST', path, body, options)
  }
  put(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('PUT', path, body, options)
  }
  patch(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('PATCH', path, body, options)
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, undefined, options)
  }

  /** Follows Set-Cookie (login, logout) and CSRF tokens in answers, as a browser tab would. */
  #keepSession(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      if (!pair) continue
      this.#cookie = pair.endsWith('=') ? undefined : pair
    }
  }

  adoptCsrfToken(token: string | undefined): void {
    this.#csrfToken = token
  }
}

async function parseBody(response: Response): Promise<unknown> {
  // An event stream never ends by itself: its answer is the status and headers.
  if (/^text\/event-stream/.test(response.headers.get('Content-Type') ?? '')) {
    await response.body?.cancel()
    return undefined
  }
  const text = await response.text()
  if (!text) return undefined
  return /json/.test(response.headers.get('Content-Type') ?? '') ? JSON.parse(text) : text
}

/** Nobody signed in. */
export function anonymous(api: TestApp): ApiClient {
  return new ApiClient(api.url)
}

/**
 * Signs in through POST /auth/login, with a TOTP code (or, once the codes around now are
 * spent, a recovery code) when the user has MFA. Throws when the sign-in fails.
 */
export async function signIn(api: TestApp, user: TestUser): Promise<ApiClient> {
  const client = new ApiClient(api.url)
  const answer = await client.post('/auth/login', {
    email: user.email,
    password: user.password,
    ...secondFactor(user),
  })
  expectStatus(answer, 200)
  client.adoptCsrfToken((answer.body as { csrfToken: string }).csrfToken)
  return client
}

function secondFactor(user: TestUser): { totp: string } | { recoveryCode: string } | object {
  if (!user.totpSecret) return {}
  const totp = nextTotp(user)
  if (totp) return { totp }
  const recoveryCode = user.recoveryCodes?.shift()
  if (!recoveryCode) throw new Error(`${user.email}: no TOTP step or recovery code left`)
  return { recoveryCode }
}

/** A client with an API token made through POST /auth/tokens (no cookie, no CSRF token). */
export async function tokenClient(api: TestApp, user: TestUser): Promise<ApiClient> {
  const session = await signIn(api, user)
  const created = await session.post('/auth/tokens', { name: 'test token' })
  expectStatus(created, 201)
  return new ApiClient(api.url, { bearer: (created.body as { token: string }).token })
}

/** A user of `role` and a signed-in client for them, in one step. */
export async function signedInAs(
  api: TestApp,
  options: NewTestUser,
): Promise<{ user: TestUser; client: ApiClient }> {
  const user = await createTestUser(api, options)
  return { user, client: await signIn(api, user) }
}

/** The usual start of an accounts test file: an app on the harness services, an admin in it. */
export async function appWithAdmin(
  options: AppOptions = {},
): Promise<{ api: TestApp; admin: ApiClient }> {
  const api = await startTestApp(await externalEnvironment(), options)
  return { api, admin: (await signedInAs(api, { role: 'admin' })).client }
}

function expectStatus(answer: ApiAnswer, status: number): void {
  if (answer.status !== status) {
    throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`)
  }
}
