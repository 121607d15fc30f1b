// A method a path does not serve answers 405 with an Allow header naming exactly the methods
// it does (whatever the method: TRACE and made-up ones included, once 501), on every path of
// the OpenAPI document and on the probes; a path that does not exist answers 404.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { environmentFor, MODES, startTestApp, type TestApp } from '../support/app.ts'

// Every method Node's parser lets through (it refuses unknown ones itself, and hands CONNECT
// to a different event).
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND', 'PURGE']

/** A raw request: fetch refuses TRACE and CONNECT. */
function send(url: string, method: string) {
  return new Promise<{ status: number; allow: string | undefined; type: string | undefined }>(
    (resolve, reject) => {
      const req = request(url, { method }, (response) => {
        let body = ''
        response.on('data', (chunk) => {
          body += chunk
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            allow: response.headers.allow,
            type: body.startsWith('{') ? (JSON.parse(body) as { type?: string }).type : undefined,
          }),
        )
      })
      req.on('error', reject)
      req.end()
    },
  )
}

const allowed = (allow: string | undefined) =>
  (allow ?? '')
    .split(',')
    .map((method) => method.trim())
    .filter((method) => method && method !== 'HEAD' && method !== 'OPTIONS')
    .sort()

describe.each(MODES)('%s', (mode) => {
  let api: TestApp
  let paths: [string, string[]][]

  beforeAll(async () => {
    api = await startTestApp(await environmentFor(mode), {
      rateLimits: { global: { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    const document = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    paths = [
      ...Object.entries(document.paths).map(
        ([path, methods]) =>
          [
            path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000'),
            Object.keys(methods).map((method) => method.toUpperCase()),
          ] as [string, string[]],
      ),
      ['/livez', ['GET']],
      ['/readyz', ['GET']],
      ['/healthz', ['GET']],
    ]
  })
  afterAll(() => api.close())

  it('answers 405 with the path’s methods in Allow, for any method it does not serve', async () => {
    for (const [path, declared] of paths) {
      for (const method of METHODS.filter((each) => !declared.includes(each))) {
        const answer = await send(api.url + path, method)
        expect({ path, method, ...answer, allow: allowed(answer.allow) }).toEqual({
          path,
          method,
          status: 405,
          type: 'method_not_allowed',
          allow: [...declared].sort(),
        })
      }
    }
  })

  it('answers 404 for a path that does not exist, whatever the method', async () => {
    for (const method of METHODS) {
      const answer = await send(`${api.url}/api/v1/no-such-thing`, method)
      expect({ method, status: answer.status, type: answer.type }).toEqual({
        method,
        status: 404,
        type: 'not_found',
      })
    }
  })
})
