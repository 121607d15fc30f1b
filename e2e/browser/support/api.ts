// Set-up through the public API, the way a script would do it: a cookie session with the
// CSRF token from the login answer. The journeys themselves go through the browser.
import { Secret, TOTP } from 'otpauth'
import type { Account } from './stack.ts'

export class ApiSession {
  readonly #base: string
  #cookie = ''
  #csrfToken = ''

  constructor(base: string) {
    this.#base = base
  }

  /** The session's headers (cookie, CSRF token) for a request made elsewhere. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Accept: 'application/json',
      ...(this.#cookie ? { Cookie: this.#cookie } : {}),
      ...(this.#csrfToken ? { 'X-CSRFToken': this.#csrfToken } : {}),
      ...extra,
    }
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#base}/api/v1${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.#cookie ? { Cookie: this.#cookie } : {}),
        ...(this.#csrfToken && method !== 'GET' ? { 'X-CSRFToken': this.#csrfToken } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0])
    if (cookies.length > 0) this.#cookie = cookies.join('; ')
    const text = await response.text()
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }

  async login(account: Account, totp?: string): Promise<void> {
    const answer = await this.request<{ csrfToken: string }>('POST', '/auth/login', {
      ...account,
      ...(totp ? { totp } : {}),
    })
    this.#csrfToken = answer.csrfToken
  }
}

/** Codes for a TOTP secret as an authenticator app shows them (SHA-1, 6 digits, 30 s). */
export function authenticator(base32Secret: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(base32Secret) })
  return {
    now: () => totp.generate(),
    /** A well-formed code that is not valid around now. */
    wrong: () => {
      const valid = new Set(
        [-1, 0, 1].map((step) => totp.generate({ timestamp: Date.now() + step * 30_000 })),
      )
      let code = 0
      while (valid.has(String(code).padStart(6, '0'))) code += 1
      return String(code).padStart(6, '0')
    },
    /**
     * A code from a time step no earlier code came from: servers refuse a replayed code, so
     * a second sign-in waits for the authenticator's next step.
     */
    async fresh(after: string): Promise<string> {
      for (;;) {
        const code = totp.generate()
        if (code !== after) return code
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    },
  }
}

/** An admin session with MFA enrolled, as the admin-only endpoints require. */
export async function enrolledAdmin(base: string, admin: Account): Promise<ApiSession> {
  const session = new ApiSession(base)
  await session.login(admin)
  const { secret } = await session.request<{ secret: string }>('POST', '/auth/mfa/totp/setup')
  await session.request('POST', '/auth/mfa/totp/enable', { code: authenticator(secret).now() })
  return session
}
