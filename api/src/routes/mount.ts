import Router from '@koa/router'
import { RequestContext } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import type { z } from 'zod'
import { type FieldError, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { type Authenticator, authorizedActor } from '../http/auth.ts'
import { readJsonBody } from '../http/body.ts'
import { requestState } from '../http/state.ts'
import type { Logger } from '../observability/logger.ts'
import { announcing } from '../platform/announcements.ts'
import type { Services } from '../platform/services.ts'
import { type SessionCookieOptions, sessionControl } from '../sessions/cookie.ts'
import type { ResponseSpec, RouteDefinition, RouteSpec } from './define.ts'
import { answerOnce, fingerprint, IDEMPOTENCY_HEADER, IdempotencyKey } from './idempotency.ts'
import { methodsAt } from './methods.ts'

export const API_PREFIX = '/api/v1'

export interface MountOptions {
  services: Services
  authenticator: Authenticator
  cookie: SessionCookieOptions
}

/** Mounts route definitions under /api/v1: auth → validation → rate limit → handler. */
export function apiRouter(routes: readonly RouteDefinition[], options: MountOptions): Router {
  const router = new Router({ prefix: API_PREFIX })
  const served = methodsAt(routes, API_PREFIX)
  const servedElsewhere = (path: string) => served(path).length > 0
  for (const route of routes) {
    for (const limit of route.rateLimit ? [route.rateLimit.name] : []) {
      if (!options.services.rateLimits.has(limit)) {
        throw new Error(`${route.method.toUpperCase()} ${route.path}: unknown rate limit ${limit}`)
      }
    }
    router[route.method](route.path, (ctx, next) => {
      // Parsed once: the result also decides whether the path is this route's at all.
      const params = route.params?.safeParse(ctx.params)
      // A path another route serves (`/tickets/count`) is not this route's with a bad id.
      if (params && !params.success && servedElsewhere(ctx.path)) return next()
      requestState(ctx).routeTemplate = API_PREFIX + route.path
      const em = options.services.orm.em.fork()
      const { events, logger } = options.services
      return RequestContext.create(em, () =>
        announcing(events, logger, () => serve(route, ctx, em, params, options)),
      )
    })
  }
  return router
}

async function serve(
  route: RouteDefinition,
  ctx: Context,
  em: Services['orm']['em'],
  parsedParams: z.ZodSafeParseResult<unknown> | undefined,
  { services, authenticator, cookie }: MountOptions,
): Promise<void> {
  let actor: Actor | undefined
  if (route.auth.kind === 'actor') {
    actor = await authorizedActor(authenticator, ctx, em, route.auth.permissions)
    requestState(ctx).actor = actor
  } else if (route.auth.kind === 'optional') {
    actor = await authenticator.authenticate(ctx, em)
    requestState(ctx).actor = actor
  }
  // Refused only after authentication: a bad id must not tell a stranger that a route exists.
  const params = parsedParams && checked(parsedParams, 'params')
  const query = validate(route.query, ctx.query, 'query')
  const headers = validateHeaders(route, ctx)
  const body = route.body
    ? validate(route.body, await readJsonBody(ctx, route.bodyLimit), 'body')
    : undefined
  if (route.rateLimit) {
    const keys = route.rateLimit.key({ ctx, body, params })
    await services.rateLimits.consume(route.rateLimit.name, ...[keys].flat())
  }
  let log: Logger | undefined
  const run = async (handlerEm: EntityManager) => {
    const result = await route.handler({
      params,
      query,
      body,
      headers,
      actor,
      em: handlerEm,
      ctx,
      services,
      session: sessionControl(ctx, services.sessions, cookie),
      reauthenticate: () =>
        authenticator.authenticate(ctx, services.orm.em.fork(), { fresh: true }),
      // Made on first use: most handlers never log, and a child logger is not free.
      get log() {
        log ??= services.logger.child({ requestId: requestState(ctx).requestId })
        return log
      },
    })
    answer(route, ctx, result)
  }
  const key = route.idempotent ? headers[IDEMPOTENCY_HEADER] : undefined
  if (typeof key === 'string' && actor) {
    const [success] = route.responses as [ResponseSpec]
    await answerOnce(
      em,
      ctx,
      {
        userId: actor.userId,
        key,
        fingerprint: fingerprint(ctx, body),
        headers: Object.keys(success.headers ?? {}),
      },
      run,
    )
  } else {
    await run(em)
  }
}

/** The first declared response: its status, and the result parsed by its schema. */
function answer(route: RouteDefinition, ctx: Context, result: unknown): void {
  const [response] = route.responses as [ResponseSpec]
  if (!response.schema) {
    // The handler wrote its own body (a stream, a redirect) or there is none (204).
    if (ctx.body === undefined && ctx.status === 404) ctx.status = response.status
    return
  }
  ctx.status = response.status
  // Parsing the output strips fields the schema does not name: nothing leaks by accident.
  ctx.body = response.schema.parse(result)
}

/** The declared request headers (and Idempotency-Key on idempotent routes), validated. */
function validateHeaders(route: RouteDefinition, ctx: Context): Record<string, unknown> {
  const declared = requestHeaders(route)
  const values: Record<string, unknown> = {}
  const errors: FieldError[] = []
  for (const [name, schema] of Object.entries(declared)) {
    // Absent is not empty: `If-Match:` with no value names no version, and is refused.
    const sent = ctx.headers[name.toLowerCase()]
    if (sent === undefined) continue
    const result = schema.safeParse(sent)
    if (result.success) values[name] = result.data
    else {
      errors.push(
        ...result.error.issues.map((issue) => ({ path: `header.${name}`, message: issue.message })),
      )
    }
  }
  if (errors.length > 0)
    throw new HttpError('validation_error', { detail: 'invalid header', errors })
  return values
}

/** Every request header a route reads: its own and the platform's (Idempotency-Key). */
export function requestHeaders(route: RouteSpec): Record<string, z.ZodType> {
  return {
    ...route.headers,
    ...(route.idempotent ? { [IDEMPOTENCY_HEADER]: IdempotencyKey } : {}),
  }
}

function validate(schema: z.ZodType | undefined, value: unknown, source: string): unknown {
  return schema && checked(schema.safeParse(value), source)
}

function checked(result: z.ZodSafeParseResult<unknown>, source: string): unknown {
  if (result.success) return result.data
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: [source, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  throw new HttpError('validation_error', { detail: `invalid ${source}`, errors })
}
