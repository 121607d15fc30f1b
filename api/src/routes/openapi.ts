// OpenAPI 3.1 from the route definitions: the zod schemas that validate requests and shape
// responses are the ones described (JSON Schema 2020-12 through zod 4's z.toJSONSchema), and
// every status the platform can answer on a route is listed with it. The fuzz tier
// (api/fuzz) holds the server to this document; `redocly lint` holds the document to the
// recommended rules.
import { z } from 'zod'
import type { ResponseSpec, RouteDefinition } from './define.ts'
import { IDEMPOTENCY_HEADER } from './idempotency.ts'
import { API_PREFIX, requestHeaders } from './mount.ts'
import { CURSOR_FORMAT } from './pagination.ts'

type JsonSchema = Record<string, unknown>

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'requestId'],
  properties: {
    type: { type: 'string', description: 'Stable error id, e.g. validation_error' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
    requestId: { type: 'string' },
  },
}

/** What each tag groups, for readers of the document. */
const TAGS: Record<string, string> = {
  auth: 'Sign-in, sessions, two-factor sign-in and API tokens',
  users: 'People, their roles, and their personal data (GDPR)',
  teams: 'Teams of agents and admins',
  tickets: 'Tickets, their conversation, history and files',
  sla: 'Response and resolution targets per priority',
  settings: 'Instance settings',
  audit: 'The append-only audit log',
  platform: 'This installation',
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
}

const problem = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

export interface OpenApiInfo {
  version: string
  sessionCookieName: string
}

export function openApiDocument(routes: readonly RouteDefinition[], info: OpenApiInfo) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const path = API_PREFIX + route.path.replace(/:(\w+)/g, '{$1}')
    paths[path] ??= {}
    paths[path][route.method] = operation(route, routes)
  }
  const used = new Set(routes.flatMap((route) => route.tags))
  return {
    openapi: '3.1.0',
    info: {
      title: 'Helpdesk API',
      version: info.version,
      description:
        'The Helpdesk HTTP API. Errors are RFC 9457 problem details with a stable `type`; lists page with opaque cursors.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // Relative: the document describes whichever installation serves it.
    servers: [{ url: '/', description: 'This installation' }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: info.sessionCookieName },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  }
}

function operation(route: RouteDefinition, routes: readonly RouteDefinition[]) {
  const headers = requestHeaders(route)
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.tags.length > 0 ? { tags: route.tags } : {}),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...Object.entries(headers).map(([name, schema]) => ({
        name,
        in: 'header',
        required: false,
        ...(schema.description ? { description: schema.description } : {}),
        schema: jsonSchema(schema, 'input'),
      })),
      ...(route.auth.kind === 'actor' && route.method !== 'get' ? [CSRF_HEADER] : []),
    ],
    ...requestBody(route),
    responses: responses(route, routes, Object.keys(headers).length > 0),
    security: securityOf(route.auth),
    ...(route.auth.kind === 'actor' && route.auth.permissions.length > 0
      ? { 'x-permissions': route.auth.permissions }
      : {}),
  }
}

/** OpenAPI's way to say "no credential, or one of these": an empty requirement first. */
function securityOf(auth: RouteDefinition['auth']) {
  if (auth.kind === 'public') return []
  const schemes = [{ session: [] }, { bearer: [] }]
  return auth.kind === 'optional' ? [{}, ...schemes] : schemes
}

function requestBody(route: RouteDefinition) {
  if (route.body) {
    return {
      requestBody: {
        required: !route.body.safeParse(undefined).success,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      },
    }
  }
  if (route.upload) {
    const fields = jsonSchema(route.upload.fields, 'input') as {
      properties?: Record<string, unknown>
      required?: string[]
    }
    return {
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file', ...(fields.required ?? [])],
              properties: {
                file: { type: 'string', contentMediaType: 'application/octet-stream' },
                ...fields.properties,
              },
              additionalProperties: false,
            },
          },
        },
      },
    }
  }
  return {}
}

/**
 * The route's own responses, then every status the platform may answer on it: 400 for input
 * it validates, 401/403 where an actor is needed, 404 where the path names a resource, 413
 * and 415 where it reads a body, 429 (every route counts against the global limit) and 503.
 */
function responses(
  route: RouteDefinition,
  routes: readonly RouteDefinition[],
  readsHeaders: boolean,
) {
  const answers: Record<string, unknown> = {}
  for (const response of route.responses) {
    answers[String(response.status)] = described(route, routes, response)
  }
  const platform: [number, () => unknown][] = []
  const readsInput =
    Boolean(route.params ?? route.query ?? route.body ?? route.upload) || readsHeaders
  if (readsInput) {
    platform.push([400, () => problem('Invalid input (validation_error, invalid_json)')])
  }
  if (route.auth.kind === 'optional') {
    platform.push([401, () => problem('A bearer token was sent and is unknown or revoked')])
  }
  if (route.auth.kind === 'actor') {
    platform.push([401, () => problem('Not authenticated')])
    platform.push([403, () => problem('Not allowed, or CSRF token missing or wrong')])
  }
  if (route.params) platform.push([404, () => problem('No such resource, or not visible to you')])
  if (route.body || route.upload) {
    platform.push([413, () => problem('Body too large')])
    platform.push([
      415,
      () => problem(route.upload ? 'Not multipart/form-data' : 'Not application/json'),
    ])
  }
  if (route.idempotent) {
    platform.push([
      422,
      () => problem(`${IDEMPOTENCY_HEADER} already used for a different request, or invalid input`),
    ])
  }
  platform.push([429, () => problem('Rate limited; see Retry-After', RETRY_AFTER)])
  platform.push([503, () => problem('A dependency is unavailable; see Retry-After', RETRY_AFTER)])
  for (const [status, make] of platform) answers[String(status)] ??= make()
  return Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * What a response that is not JSON holds. An event stream is text. A file's bytes have no
 * schema (a media type without one, as OpenAPI 3.1 allows): "a string" let the fuzz tier parse
 * a text file that happened to read as JSON (`\t6`) and call the number 6 a violation.
 */
function mediaOf(contentType: string) {
  return contentType === 'text/event-stream'
    ? { schema: { type: 'string', contentMediaType: contentType } }
    : {}
}

/** A declared response: its schema, or a problem for a failure, with its headers and links. */
function described(
  route: RouteDefinition,
  routes: readonly RouteDefinition[],
  response: ResponseSpec,
) {
  if (response.status >= 400) return problem(response.description)
  const content = response.schema
    ? { 'application/json': { schema: jsonSchema(response.schema, 'output') } }
    : response.contentType
      ? { [response.contentType]: mediaOf(response.contentType) }
      : undefined
  const head = {
    description: response.description,
    ...(response.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, description]) => [
              name,
              { description, required: true, schema: { type: 'string' } },
            ]),
          ),
        }
      : {}),
  }
  const links = {
    ...(route.query && isPage(response) ? nextPageLink(route) : {}),
    ...(response.status === 201 ? createdLinks(route, routes) : {}),
  }
  return {
    ...head,
    ...(content ? { content } : {}),
    ...(Object.keys(links).length > 0 ? { links } : {}),
  }
}

function isPage(response: ResponseSpec): boolean {
  return response.schema instanceof z.ZodObject && 'nextCursor' in response.schema.shape
}

const pathParameters = (route: RouteDefinition) =>
  [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string)

/**
 * Where a cursor comes from: the same list's `nextCursor`, asked with the same filters, sort
 * and path parameters (a cursor belongs to its sort).
 */
function nextPageLink(route: RouteDefinition) {
  const query = route.query instanceof z.ZodObject ? Object.keys(route.query.shape) : []
  return {
    nextPage: {
      operationId: route.operationId,
      description: 'The next page of this list',
      parameters: {
        'query.cursor': '$response.body#/nextCursor',
        ...Object.fromEntries(
          query
            .filter((name) => name !== 'cursor')
            .map((name) => [`query.${name}`, `$request.query.${name}`]),
        ),
        ...Object.fromEntries(
          pathParameters(route).map((name) => [`path.${name}`, `$request.path.${name}`]),
        ),
      },
    },
  }
}

/** What a created resource's id opens: the operations under its path (`/tickets/{id}...`). */
function createdLinks(route: RouteDefinition, routes: readonly RouteDefinition[]) {
  const below = new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/:(\\w+)(?:/|$)`)
  return Object.fromEntries(
    routes.flatMap((other) => {
      const match = below.exec(other.path)
      if (!match?.[1] || pathParameters(other).length !== pathParameters(route).length + 1) {
        return []
      }
      return [
        [
          other.operationId,
          {
            operationId: other.operationId,
            parameters: { [`path.${match[1]}`]: '$response.body#/id' },
          },
        ],
      ]
    }),
  )
}

const CSRF_HEADER = {
  name: 'X-CSRFToken',
  in: 'header',
  required: false,
  description:
    'Required with the session cookie (the csrfToken from login); not with a bearer token',
  schema: { type: 'string' },
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema
  return rest
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return []
  const described = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>
    required?: string[]
  }
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (described.required ?? []).includes(name),
    ...(property.format === CURSOR_FORMAT ? { description: property.description } : {}),
    schema: property,
  }))
}
