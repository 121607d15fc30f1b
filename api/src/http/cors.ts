import type { Middleware } from 'koa'
import { HttpError } from '../errors.ts'

/** The seed's CORS methods and headers; PATCH too, since the API's updates use it. */
const METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
const HEADERS = 'Content-Type, Authorization, X-CSRFToken'
const PREFLIGHT_MAX_AGE = '600'

/**
 * Cross-origin access for the configured origins only, with credentials. An unknown origin
 * gets no CORS header at all, so the browser blocks it; its preflight is refused outright.
 */
export function cors(allowedOrigins: readonly string[]): Middleware {
  const allowed = new Set(allowedOrigins)
  return async (ctx, next) => {
    ctx.vary('Origin')
    const origin = ctx.get('Origin')
    const isPreflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== ''
    if (!origin || !allowed.has(origin)) {
      if (isPreflight) throw new HttpError('forbidden', { detail: 'origin not allowed' })
      await next()
      return
    }
    ctx.set('Access-Control-Allow-Origin', origin)
    ctx.set('Access-Control-Allow-Credentials', 'true')
    if (isPreflight) {
      ctx.set('Access-Control-Allow-Methods', METHODS)
      ctx.set('Access-Control-Allow-Headers', HEADERS)
      ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE)
      ctx.status = 204
      return
    }
    ctx.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After')
    await next()
  }
}
