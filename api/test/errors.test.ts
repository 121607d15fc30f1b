import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { externalEnvironment, startTestApp, type TestApp } from './support/app.ts'
import { withFixture } from './support/fixture-module.ts'

let api: TestApp

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment(), { modules: withFixture })
})
afterAll(() => api.close())

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = (await response.json()) as Record<string, unknown>
  expect(body.requestId).toBe(response.headers.get('x-request-id'))
  return body
}

const json = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
})

describe('the error model', () => {
  it('answers an unknown route with 404 not_found', async () => {
    const response = await fetch(`${api.url}/api/v1/no-such-thing`)
    expect(response.status).toBe(404)
    expect(await problem(response)).toMatchObject({ type: 'not_found', status: 404 })
  })

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await fetch(`${api.url}/api/v1/echo`, { method: 'GET' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
    expect(await problem(response)).toMatchObject({ type: 'method_not_allowed' })
  })

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await fetch(`${api.url}/api/v1/echo`, json('{"name": "a",'))
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({ type: 'invalid_json', status: 400 })
  })

  it('answers a wrong content type with 415', async () => {
    const response = await fetch(`${api.url}/api/v1/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"name":"a"}',
    })
    expect(response.status).toBe(415)
    expect(await problem(response)).toMatchObject({ type: 'unsupported_media_type' })
  })

  it('answers a body above the limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })
    const declared = await fetch(`${api.url}/api/v1/echo`, json(big))
    expect(declared.status).toBe(413)
    expect(await problem(declared)).toMatchObject({ type: 'payload_too_large' })
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++)
          controller.enqueue(new TextEncoder().encode('x'.repeat(65_536)))
        controller.close()
      },
    })
    const streamed = await fetch(`${api.url}/api/v1/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
  })

  it('lists every validation problem with its path; unknown fields are rejected', async () => {
    const response = await fetch(
      `${api.url}/api/v1/echo`,
      json('{"name":"","count":1.5,"extra":1}'),
    )
    expect(response.status).toBe(400)
    const body = await problem(response)
    expect(body.type).toBe('validation_error')
    expect(body.errors).toEqual([
      { path: 'body.name', message: expect.any(String) },
      { path: 'body.count', message: expect.any(String) },
      { path: 'body', message: expect.stringContaining('extra') },
    ])
  })

  it('requires a body when the route declares one', async () => {
    const response = await fetch(`${api.url}/api/v1/echo`, { method: 'POST' })
    expect(response.status).toBe(400)
    expect((await problem(response)).errors).toEqual([
      { path: 'body', message: expect.any(String) },
    ])
  })

  it('sends only the fields of the response schema', async () => {
    const response = await fetch(`${api.url}/api/v1/echo`, json('{"name":"Ada","count":2}'))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ name: 'Ada', count: 2 })
  })

  it('hides unexpected errors behind internal_error and logs them with their stack', async () => {
    const response = await fetch(`${api.url}/api/v1/boom`, {
      headers: { 'X-Request-Id': 'boom-1' },
    })
    expect(response.status).toBe(500)
    const text = await response.clone().text()
    expect(text).not.toContain('secret internals')
    expect(text).not.toContain('.ts')
    expect(await problem(response)).toEqual({
      type: 'internal_error',
      title: 'Internal error',
      status: 500,
      requestId: 'boom-1',
    })
    const logged = api.logs.find((line) => line.requestId === 'boom-1' && line.level === 'error')
    expect(logged).toMatchObject({
      method: 'GET',
      path: '/api/v1/boom',
      route: '/api/v1/boom',
      err: {
        message: 'secret internals at /srv/app.ts:12',
        stack: expect.stringContaining('Error'),
      },
    })
  })

  it('renders a domain HttpError as its own type', async () => {
    const response = await fetch(`${api.url}/api/v1/conflict`)
    expect(response.status).toBe(409)
    expect(await problem(response)).toMatchObject({ type: 'conflict', detail: 'already there' })
  })

  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    const echoed = await fetch(`${api.url}/livez`, { headers: { 'X-Request-Id': 'abc-123' } })
    expect(echoed.headers.get('x-request-id')).toBe('abc-123')
    for (const invalid of ['has spaces', 'x'.repeat(129), '<script>']) {
      const replaced = await fetch(`${api.url}/livez`, { headers: { 'X-Request-Id': invalid } })
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('sends no HSTS over plain HTTP when no proxy is trusted, whatever the client claims', async () => {
    const response = await fetch(`${api.url}/livez`, { headers: { 'X-Forwarded-Proto': 'https' } })
    expect(response.headers.get('strict-transport-security')).toBeNull()
  })
})

describe('OpenAPI 3.1', () => {
  it('describes the routes from the schemas they validate with', async () => {
    const response = await fetch(`${api.url}/api/v1/openapi.json`)
    const document = (await response.json()) as {
      openapi: string
      paths: Record<string, Record<string, Record<string, unknown>>>
    }
    expect(document.openapi).toBe('3.1.0')
    const rename = document.paths['/api/v1/things/{id}']?.post
    expect(rename?.parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ format: 'uuid' }),
      },
      {
        name: 'dryRun',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['true', 'false'] },
      },
      expect.objectContaining({ name: 'X-CSRFToken', in: 'header' }),
    ])
    expect(rename?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { title: { type: 'string', maxLength: 20 } },
            required: ['title'],
            additionalProperties: false,
          },
        },
      },
    })
    expect(rename?.security).toEqual([{ session: [] }, { bearer: [] }])
    expect(document.paths['/api/v1/admin-thing']?.delete?.['x-permissions']).toEqual([
      'settings:write',
    ])
    expect(Object.keys(document.paths['/api/v1/instance']?.get?.responses ?? {})).toContain('200')
  })
})
