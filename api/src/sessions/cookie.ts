import type { Context } from 'koa'
import type { NewSession, Session, SessionStore } from './store.ts'

/** What a handler may do with the browser session (login, logout). */
export interface SessionControl {
  /** Replaces any current session with a new one and sets the cookie (no fixation). */
  start(input: NewSession): Promise<Session>
  /** Destroys the current session, if any, and clears the cookie. */
  end(): Promise<void>
}

export interface SessionCookieOptions {
  /** From HELPDESK_PUBLIC_URL: https means Secure cookies with the __Host- prefix. */
  secure: boolean
}

/**
 * `__Host-` makes browsers refuse the cookie unless it is Secure, host-only and Path=/, so a
 * sibling subdomain cannot plant or overwrite it. Plain-HTTP localhost cannot use the prefix.
 */
export function sessionCookieName({ secure }: SessionCookieOptions): string {
  return secure ? '__Host-helpdesk_session' : 'helpdesk_session'
}

export function readSessionCookie(ctx: Context, options: SessionCookieOptions): string | undefined {
  const value = ctx.cookies.get(sessionCookieName(options))
  // Our ids are 43 base64url characters; anything else cannot be ours.
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined
}

export function sessionControl(
  ctx: Context,
  store: SessionStore,
  options: SessionCookieOptions,
): SessionControl {
  const name = sessionCookieName(options)
  const cookie = (value: string | null, expires?: Date) => {
    // The ingress may speak plain HTTP to us while browsers use TLS: the public URL decides.
    if (options.secure) ctx.cookies.secure = true
    ctx.cookies.set(name, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      path: '/',
      overwrite: true,
      ...(expires ? { expires } : {}),
    })
  }
  const end = async () => {
    const current = readSessionCookie(ctx, options)
    if (current) await store.destroy(current)
    cookie(null)
  }
  return {
    async start(input) {
      await end()
      const session = await store.create(input)
      cookie(session.id, new Date(session.expiresAt))
      return session
    },
    end,
  }
}
