// The accounts routes in the OpenAPI document, with the permissions they declare.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment())
})
afterAll(() => api.close())

type Operation = Record<string, unknown>

describe('OpenAPI', () => {
  it('describes sign-in, users, teams, settings, audit and GDPR with their permissions', async () => {
    const response = await fetch(`${api.url}/api/v1/openapi.json`)
    expect(response.status).toBe(200)
    const { paths } = (await response.json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    const permissions = (path: string, method: string) =>
      paths[`/api/v1${path}`]?.[method]?.['x-permissions']
    expect(permissions('/users', 'get')).toEqual(['users:list'])
    expect(permissions('/users/{id}', 'patch')).toEqual(['users:update'])
    expect(permissions('/users/{id}/erase', 'post')).toEqual(['users:erase'])
    expect(permissions('/teams/{id}/members', 'put')).toEqual(['teams:update'])
    expect(permissions('/audit-events', 'get')).toEqual(['audit:read'])
    expect(paths['/api/v1/auth/login']?.post?.security).toEqual([])
    const login = paths['/api/v1/auth/login']?.post as {
      requestBody: { content: Record<string, { schema: unknown }> }
    }
    expect(login.requestBody.content['application/json']?.schema).toMatchObject({
      properties: { email: {}, password: {}, totp: {}, recoveryCode: {} },
      additionalProperties: false,
    })
    const list = paths['/api/v1/users']?.get as { parameters: { name: string }[] }
    expect(list.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'role', 'q']),
    )
  })
})
