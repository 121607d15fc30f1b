// OpenAPI 3.1 from the route definitions: the zod schemas that validate requests and shape
// responses are the ones described (JSON Schema 2020-12 through zod 4's z.toJSONSchema).
import { z } from 'zod'
import type { RouteDefinition } from './define.ts'
import { API_PREFIX } from './mount.ts'

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

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

export interface OpenApiInfo {
  version: string
  serverUrl: string
  sessionCookieName: string
}

export function openApiDocument(routes: readonly RouteDefinition[], info: OpenApiInfo) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const path = API_PREFIX + route.path.replace(/:(\w+)/g, '{$1}')
    paths[path] ??= {}
    paths[path][route.method] = operation(route)
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Helpdesk API', version: info.version },
    servers: [{ url: info.serverUrl }],
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

function operation(route: RouteDefinition) {
  const responses: Record<string, unknown> = {}
  for (const response of route.responses) {
    responses[String(response.status)] = {
      description: response.description,
      ...(response.schema
        ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
        : response.contentType
          ? { content: { [response.contentType]: {} } }
          : {}),
    }
  }
  responses['400'] = problem('Invalid input (validation_error, invalid_json)')
  if (route.auth.kind === 'actor') {
    responses['401'] = problem('Not authenticated')
    responses['403'] = problem('Not allowed, or CSRF token missing or wrong')
  }
  if (route.body) {
    responses['413'] = problem('Body too large')
    responses['415'] = problem('Not application/json')
  }
  responses['429'] = problem('Rate limited; see Retry-After')
  responses['503'] = problem('A dependency is unavailable')
  return {
    summary: route.summary,
    ...(route.tags.length > 0 ? { tags: route.tags } : {}),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...(route.auth.kind === 'actor' && route.method !== 'get' ? [CSRF_HEADER] : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    security: route.auth.kind === 'actor' ? [{ session: [] }, { bearer: [] }] : [],
    ...(route.auth.kind === 'actor' && route.auth.permissions.length > 0
      ? { 'x-permissions': route.auth.permissions }
      : {}),
  }
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
    schema: property,
  }))
}
