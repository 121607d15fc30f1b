// Every text input of every operation — found in the OpenAPI document, so a new route is
// covered the day it is added — refuses control characters at the schema layer: 400
// validation_error naming the field, never a failed query reported as an outage (503) or a
// fault (500), in embedded mode (PGlite) and on Postgres alike.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  schema: { type?: string; format?: string }
}
interface Operation {
  operationId: string
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}
interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
}

/** A string field of a JSON body, as a dotted path (`tags.0`). */
function textFields(schema: JsonSchema | undefined, prefix: string[] = []): string[][] {
  if (!schema) return []
  if (schema.type === 'string') return [prefix]
  if (schema.type === 'array') return textFields(schema.items, [...prefix, '0'])
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
    textFields(property, [...prefix, name]),
  )
}

function bodyWith(path: string[], value: string): unknown {
  const [head, ...rest] = path
  if (head === undefined) return value
  const inner = bodyWith(rest, value)
  return head === '0' ? [inner] : { [head]: inner }
}

const CONTROL_CHARACTERS = ['\u0000', '\u001b', '\u007f', '\u0085']

describe.each(MODES)('%s', (mode) => {
  let api: TestApp
  let admin: ApiClient
  let operations: [string, string, Operation][]

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: { global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    admin = await signIn(api, await createTestUser(api, { role: 'admin' }))
    const document = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, operation]) => [method, path, operation] as [string, string, Operation],
      ),
    )
  })
  afterAll(() => api.close())

  const pathOf = (path: string) =>
    path.replace('/api/v1', '').replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000')

  it('refuses control characters in every JSON body field', async () => {
    const checked: string[] = []
    for (const [method, path, operation] of operations) {
      const schema = operation.requestBody?.content['application/json']?.schema
      for (const field of textFields(schema)) {
        for (const character of CONTROL_CHARACTERS) {
          const answer = await admin.request(
            method.toUpperCase(),
            pathOf(path),
            bodyWith(field, `a${character}b`),
          )
          const errors = (answer.body as { errors?: { path: string }[] }).errors ?? []
          const name = `${operation.operationId} body.${field.join('.')} ${JSON.stringify(character)}`
          expect({
            name,
            status: answer.status,
            field: errors.some((error) => error.path === `body.${field.join('.')}`),
          }).toEqual({
            name,
            status: 400,
            field: true,
          })
        }
        checked.push(`${operation.operationId}.${field.join('.')}`)
      }
    }
    // Names, subjects, bodies, tags, emails, passwords, codes: a new field joins the list.
    expect(checked.length).toBeGreaterThanOrEqual(25)
  })

  it('refuses control characters in every query and path parameter', async () => {
    const checked: string[] = []
    for (const [method, path, operation] of operations) {
      for (const parameter of operation.parameters ?? []) {
        const numeric = ['number', 'integer', 'boolean'].includes(parameter.schema.type ?? '')
        if (parameter.in === 'header' || numeric) continue
        for (const character of CONTROL_CHARACTERS) {
          const value = encodeURIComponent(`a${character}b`)
          const target =
            parameter.in === 'query'
              ? `${pathOf(path)}?${parameter.name}=${value}`
              : pathOf(path.replace(`{${parameter.name}}`, value))
          const answer = await admin.request(
            method.toUpperCase(),
            target,
            method === 'get' ? undefined : {},
          )
          const errors = (answer.body as { errors?: { path: string }[] }).errors ?? []
          const location = parameter.in === 'query' ? 'query' : 'params'
          const name = `${operation.operationId} ${location}.${parameter.name} ${JSON.stringify(character)}`
          expect({
            name,
            status: answer.status,
            field: errors.some((error) => error.path === `${location}.${parameter.name}`),
          }).toEqual({ name, status: 400, field: true })
        }
        checked.push(`${operation.operationId}.${parameter.name}`)
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'listUsers.q',
        'listUsers.cursor',
        'listTeams.cursor',
        'listTickets.q',
      ]),
    )
  })
})
