import type { Context, Middleware } from 'koa'
import type { Logger } from '../observability/logger.ts'
import type { Metrics } from '../observability/metrics.ts'
import { requestState } from './state.ts'

/**
 * One access-log line and one histogram sample per request, written when the response is
 * done or the client went away: a response emits 'close' either way, once. Unmatched paths
 * share one label so scanners cannot blow up the metric's cardinality.
 */
export function observe(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint()
    ctx.res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      writeAccessLine(logger, ctx, seconds)
      const state = requestState(ctx)
      const status = String(ctx.res.headersSent ? ctx.res.statusCode : ctx.status)
      metrics.requestDuration.observe(
        { method: ctx.method, route: state.routeTemplate ?? 'unmatched', status },
        seconds,
      )
      if (state.errorType) metrics.errors.inc({ type: state.errorType, status })
    })
    await next()
  }
}

function writeAccessLine(logger: Logger, ctx: Context, seconds: number): void {
  const state = requestState(ctx)
  logger.info(
    {
      access: true,
      clientIp: ctx.ip,
      method: ctx.method,
      // The path only: query strings may carry tokens.
      path: ctx.path,
      route: state.routeTemplate,
      status: ctx.res.headersSent ? ctx.res.statusCode : ctx.status,
      responseTimeMs: Math.round(seconds * 1e6) / 1e3,
      userAgent: ctx.get('User-Agent') || undefined,
      requestId: state.requestId,
      userId: state.actor?.userId,
      completed: ctx.res.writableFinished,
    },
    'request',
  )
}
