// One place defines each route: method, path, zod schemas, auth, rate limit, handler and
// response. The same definition is mounted on the Koa router (routes/mount.ts) and
// described in the OpenAPI document (routes/openapi.ts), so the two cannot drift apart.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import { z } from 'zod'
import type { Actor } from '../http/actor.ts'
import type { Logger } from '../observability/logger.ts'
import type { Services } from '../platform/services.ts'
import type { SessionControl } from '../sessions/cookie.ts'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

export type AuthRequirement =
  | { kind: 'public' }
  | { kind: 'optional' }
  | { kind: 'actor'; permissions: string[] }

export interface RateLimitUse {
  /** A named limit from the modules' `rateLimits`. */
  name: string
  /** One key or several (each consumes a point), e.g. the client IP and the account. */
  key: (input: { ctx: Context; body: unknown; params: unknown }) => string | string[]
}

export interface ResponseSpec {
  status: number
  /** Absent: the handler writes `ctx.body` itself (streams, redirects). */
  schema?: z.ZodType
  description: string
  contentType?: string
  /** Headers this response carries (name → description), e.g. ETag. */
  headers?: Record<string, string>
}

export interface RouteSpec {
  method: HttpMethod
  path: string
  /** Stable, unique name of the operation for client generators, e.g. `listTickets`. */
  operationId: string
  summary: string
  tags: string[]
  params?: z.ZodType
  query?: z.ZodType
  /** Request headers the route reads, by their canonical name (`If-Match`); all optional. */
  headers?: Record<string, z.ZodType>
  body?: z.ZodType
  /** A multipart/form-data upload the handler streams itself: a `file` part and these fields. */
  upload?: { fields: z.ZodObject }
  /**
   * A repeated request with the same `Idempotency-Key` (per user) gets the first answer again
   * instead of doing the work twice (routes/idempotency.ts).
   */
  idempotent?: boolean
  /** Bytes; the default suits JSON documents, not uploads. */
  bodyLimit: number
  auth: AuthRequirement
  rateLimit?: RateLimitUse
  responses: ResponseSpec[]
}

export interface HandlerInput<P, Q, B, A, H = Record<string, never>> {
  params: P
  query: Q
  body: B
  /** The headers declared with `.headers()`, validated; absent ones are undefined. */
  headers: H
  actor: A
  /** This request's own EntityManager (one MikroORM request context per request). */
  em: EntityManager
  ctx: Context
  services: Services
  session: SessionControl
  /**
   * The caller again, as the credential of this request stands now (undefined or a throw:
   * it no longer stands): for long-lived responses, which outlive a sign-out.
   */
  reauthenticate: () => Promise<Actor | undefined>
  log: Logger
}

export interface RouteDefinition extends RouteSpec {
  handler: (
    input: HandlerInput<unknown, unknown, unknown, Actor | undefined, unknown>,
  ) => Promise<unknown>
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024

/**
 * `route.get('/tickets/:id').summary(...).params(schema).auth('tickets:read')
 *   .response(200, Ticket).handle(async ({ params, actor, em }) => ...)`.
 * Routes need an authenticated actor unless `.public()` is called: secure by default.
 */
export class RouteBuilder<P, Q, B, A, R = unknown, H = Record<string, never>> {
  readonly #spec: RouteSpec

  constructor(spec: RouteSpec) {
    this.#spec = spec
  }

  #with<P2 = P, Q2 = Q, B2 = B, A2 = A, R2 = R, H2 = H>(change: Partial<RouteSpec>) {
    return new RouteBuilder<P2, Q2, B2, A2, R2, H2>({ ...this.#spec, ...change })
  }

  /** The operation's stable name in the OpenAPI document: a verb and a noun, `getTicket`. */
  operationId(operationId: string) {
    return this.#with({ operationId })
  }

  summary(summary: string, ...tags: string[]) {
    return this.#with({ summary, tags })
  }

  /** Request headers by canonical name, e.g. `{ 'If-Match': schema }`; each is optional. */
  headers<S extends Record<string, z.ZodType>>(headers: S) {
    return this.#with<P, Q, B, A, R, { [K in keyof S]: z.output<S[K]> | undefined }>({ headers })
  }

  /** Honours `Idempotency-Key`: a retried request gets the first answer, the work is done once. */
  idempotent() {
    return this.#with({ idempotent: true })
  }

  /** Path parameters, e.g. `z.object({ id: z.uuid() })` for `/tickets/:id`. */
  params<S extends z.ZodObject>(schema: S) {
    return this.#with<z.output<S>, Q, B, A, R, H>({ params: schema.strict() })
  }

  query<S extends z.ZodObject>(schema: S) {
    return this.#with<P, z.output<S>, B, A, R, H>({ query: schema.strict() })
  }

  /** A JSON body; requests must send `Content-Type: application/json`. */
  body<S extends z.ZodType>(schema: S, options: { limit?: number } = {}) {
    const strict = schema instanceof z.ZodObject ? schema.strict() : schema
    return this.#with<P, Q, z.output<S>, A, R, H>({
      body: strict,
      bodyLimit: options.limit ?? DEFAULT_BODY_LIMIT,
    })
  }

  /**
   * A multipart/form-data upload, read by the handler as a stream (see attachments/upload.ts):
   * one `file` part and the given text fields, for the OpenAPI document.
   */
  upload(fields: z.ZodObject) {
    return this.#with({ upload: { fields: fields.strict() } })
  }

  /** Anyone may call this route; `actor` is undefined in the handler. */
  public() {
    return this.#with<P, Q, B, undefined, R, H>({ auth: { kind: 'public' } })
  }

  /**
   * Anyone may call this route, and `actor` is the caller when the request carries a live
   * session (else undefined). A credential that is sent but wrong — a bearer token that is
   * unknown or revoked, a CSRF token on a write — is still refused as on any route.
   */
  optionalAuth() {
    return this.#with<P, Q, B, Actor | undefined, R, H>({ auth: { kind: 'optional' } })
  }

  /** An authenticated actor holding every listed permission (the default needs none). */
  auth(...permissions: string[]) {
    return this.#with<P, Q, B, Actor, R, H>({ auth: { kind: 'actor', permissions } })
  }

  rateLimit(name: string, key: RateLimitUse['key']) {
    return this.#with({ rateLimit: { name, key } })
  }

  /**
   * A documented response. The first one is what the handler's result becomes: it must match
   * that schema's input type, and is parsed with it on the way out.
   */
  response<S extends z.ZodType>(
    status: number,
    schema?: S,
    description = 'Success',
    contentType?: string,
  ) {
    const response: ResponseSpec = {
      status,
      description,
      ...(schema ? { schema } : {}),
      ...(contentType ? { contentType } : {}),
    }
    return this.#with<P, Q, B, A, unknown extends R ? z.input<S> : R, H>({
      responses: [...this.#spec.responses, response],
    })
  }

  /** Headers the response declared last carries (name → description), e.g. `ETag`. */
  responseHeaders(headers: Record<string, string>) {
    const responses = [...this.#spec.responses]
    const last = responses.pop()
    if (!last) throw new Error('declare the .response() first')
    return this.#with({ responses: [...responses, { ...last, headers }] })
  }

  handle(handler: (input: HandlerInput<P, Q, B, A, H>) => Promise<R>): RouteDefinition {
    const name = `${this.#spec.method.toUpperCase()} ${this.#spec.path}`
    if (this.#spec.responses.length === 0) throw new Error(`${name}: declare a .response()`)
    if (!/^[a-z][A-Za-z0-9]*$/.test(this.#spec.operationId)) {
      throw new Error(`${name}: name it with .operationId('verbNoun')`)
    }
    return { ...this.#spec, handler: handler as RouteDefinition['handler'] }
  }
}

function start(method: HttpMethod) {
  return (path: string) =>
    new RouteBuilder<undefined, undefined, undefined, Actor>({
      method,
      path,
      operationId: '',
      summary: '',
      tags: [],
      bodyLimit: DEFAULT_BODY_LIMIT,
      auth: { kind: 'actor', permissions: [] },
      responses: [],
    })
}

export const route = {
  get: start('get'),
  post: start('post'),
  put: start('put'),
  patch: start('patch'),
  delete: start('delete'),
}
