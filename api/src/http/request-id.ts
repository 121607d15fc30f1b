import { randomUUID } from 'node:crypto'
import type { Middleware } from 'koa'

const VALID = /^[A-Za-z0-9._:-]{1,128}$/

/** Echoes a sane incoming X-Request-Id (from the ingress, for tracing) or makes one. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id')
    const id = VALID.test(incoming) ? incoming : randomUUID()
    ctx.state.requestId = id
    ctx.set('X-Request-Id', id)
    await next()
  }
}
