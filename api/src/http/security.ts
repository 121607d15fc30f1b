import type { Context, Middleware } from 'koa'
import helmet from 'koa-helmet'

/** The seed's HSTS, sent only on TLS requests (browsers ignore it over plain HTTP anyway). */
export const HSTS = 'max-age=63072000; includeSubDomains; preload'

/**
 * The seed's security headers on every response, errors included. The CSP keeps every
 * directive of the seed's, `connect-src` extended by HELPDESK_CSP_CONNECT_SRC, and adds
 * frame-ancestors, base-uri and form-action.
 */
export function securityHeaders(connectSrc: readonly string[]): Middleware {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...connectSrc],
        // Beyond the seed: no framing (X-Frame-Options for CSP-aware browsers), no <base>
        // hijacking, forms post only to us.
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Set below: helmet only knows "0" and would send HSTS over plain HTTP too.
    xXssProtection: false,
    strictTransportSecurity: false,
  })
  const fixed: [string, string][] = [
    // API answers hold personal data: no browser or shared cache keeps a copy. The web app's
    // files set their own caching.
    ['Cache-Control', 'no-store'],
    ['X-XSS-Protection', '1; mode=block'],
    ...recordedHeaders(headers),
  ]
  return (ctx, next) => {
    for (const [name, value] of fixed) ctx.res.setHeader(name, value)
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS)
    return next()
  }
}

/**
 * The headers a helmet middleware sets. None of ours depends on the request, so helmet runs
 * once, at start, on a response that only records them (its header setting is synchronous),
 * instead of through a promise chain on every request.
 */
function recordedHeaders(headers: Middleware): [string, string][] {
  const recorded: [string, string][] = []
  const res = {
    setHeader: (name: string, value: unknown) => recorded.push([name, String(value)]),
    removeHeader: () => {},
  }
  void headers({ req: {}, res } as unknown as Context, async () => {})
  if (recorded.length === 0) throw new Error('helmet set no header synchronously')
  return recorded
}
