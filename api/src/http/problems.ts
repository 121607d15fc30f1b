import type { Context, Middleware } from 'koa'
import { HttpError, toProblem } from '../errors.ts'
import type { Logger } from '../observability/logger.ts'
import { isDependencyFailure } from './dependency-errors.ts'
import { requestState } from './state.ts'

/** Statuses Koa and the router leave without a body: no route, method, or implementation. */
const UNANSWERED: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  501: 'not_implemented',
}

/**
 * The one place errors become responses: problem+json with the request id, never a stack.
 * Unexpected errors are logged with their stack and the request's context.
 */
export function problems(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next()
      const unanswered = UNANSWERED[ctx.status]
      if (unanswered && (ctx.body === undefined || ctx.body === null)) {
        throw new HttpError(unanswered, { detail: `${ctx.method} ${ctx.path}` })
      }
    } catch (thrown) {
      const error = asHttpError(thrown)
      if (error.status >= 500) logFailure(logger, ctx, error, thrown)
      respond(ctx, error)
    }
  }
}

function respond(ctx: Context, error: HttpError): void {
  const state = requestState(ctx)
  state.errorType = error.type
  // Headers a handler set for a success (caching, downloads) must not leak onto the problem.
  for (const name of ['content-disposition', 'etag', 'last-modified']) ctx.remove(name)
  ctx.set('Cache-Control', 'no-store')
  ctx.status = error.status
  ctx.set(error.headers)
  // An unread request body (rejected as too large, say) would corrupt the next request on a
  // reused connection: close it instead.
  if (!ctx.req.complete) ctx.set('Connection', 'close')
  ctx.type = 'application/problem+json'
  ctx.body = toProblem(error, state.requestId)
}

/** Errors from Koa and its body reader carry an http status; map them onto our ids. */
function asHttpError(thrown: unknown): HttpError {
  if (thrown instanceof HttpError) return thrown
  const status = (thrown as { status?: unknown; type?: unknown } | null)?.status
  const type = (thrown as { type?: unknown } | null)?.type
  if (type === 'entity.too.large' || status === 413) return new HttpError('payload_too_large')
  if (type === 'encoding.unsupported' || status === 415) {
    return new HttpError('unsupported_media_type')
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return new HttpError('validation_error', { detail: 'the request body was incomplete' })
  }
  if (status === 400) return new HttpError('validation_error')
  if (isDependencyFailure(thrown)) {
    return new HttpError('dependency_unavailable', {
      detail: 'a backing service is unavailable',
      headers: { 'Retry-After': '5' },
      cause: thrown,
    })
  }
  return new HttpError('internal_error', { cause: thrown })
}

function logFailure(logger: Logger, ctx: Context, error: HttpError, thrown: unknown): void {
  const state = requestState(ctx)
  logger.error(
    {
      err: thrown,
      requestId: state.requestId,
      method: ctx.method,
      path: ctx.path,
      route: state.routeTemplate,
      userId: state.actor?.userId,
      clientIp: ctx.ip,
    },
    error.type === 'internal_error' ? 'request failed' : `request failed: ${error.type}`,
  )
}
