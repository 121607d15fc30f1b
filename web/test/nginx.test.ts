// web/nginx.conf, rendered by render-nginx-conf.sh and run by a real nginx in front of the
// real production build. The upstream here is a small HTTP server standing in for the API,
// because what is under test is what nginx does with requests and responses; the real API
// behind this config is exercised by the browser journeys in e2e/browser.
import { execFileSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { freePort, type NginxServer, serviceDir, startNginx } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { buildWebApp } from '../scripts/build.ts'
import { renderNginxConfig, seedSecurityHeaders } from '../scripts/nginx.ts'
import { type RawResponse, rawRequest } from './support/http.ts'

interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  bodyBytes: number
}

let dist: string
let upstream: Server
let upstreamUrl: string
const seen: SeenRequest[] = []
let nginx: NginxServer

function startUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    let bodyBytes = 0
    request.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length
    })
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        bodyBytes,
      })
      // The API sends its own security headers; nginx must leave exactly one copy of each.
      response.setHeader('Content-Security-Policy', "default-src 'none'")
      response.setHeader('X-Frame-Options', 'SAMEORIGIN')
      response.setHeader('Cache-Control', 'no-store')
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify({ url: request.url, bodyBytes, padding: 'x'.repeat(2048) }))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function expectSeedHeaders(response: RawResponse): void {
  for (const [name, value] of Object.entries(seedSecurityHeaders())) {
    expect({ name, values: response.headers.get(name) }).toEqual({ name, values: [value] })
  }
}

function hashedAsset(extension: string): string {
  const file = readdirSync(path.join(dist, 'assets')).find((name) => name.endsWith(extension))
  if (!file) throw new Error(`the build has no ${extension} asset`)
  return `/assets/${file}`
}

beforeAll(async () => {
  dist = serviceDir('web-dist')
  // nginx runs as an unprivileged user, which must be able to read the build.
  chmodSync(dist, 0o755)
  await buildWebApp(dist)
  upstream = await startUpstream()
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  nginx = await startNginx(({ port }) =>
    renderNginxConfig({ port, apiUpstream: upstreamUrl, webRoot: dist, clientMaxBodySize: '1m' }),
  )
})

afterAll(async () => {
  await nginx?.stop()
  await new Promise((resolve) => upstream?.close(resolve))
})

describe('the single-page app', () => {
  it('serves index.html with the seed headers, revalidated on every visit', async () => {
    const response = await rawRequest(`${nginx.url}/`)
    expect(response.status).toBe(200)
    expect(response.header('content-type')).toBe('text/html; charset=utf-8')
    expect(response.header('cache-control')).toBe('no-cache')
    expect(response.header('etag')).toBeDefined()
    expect(response.header('server')).toBe('nginx')
    expect(response.body.toString()).toContain('<div id="root"></div>')
    expectSeedHeaders(response)
  })

  it('answers client-side routes with the app itself', async () => {
    const response = await rawRequest(`${nginx.url}/tickets/42?queue=mine`)
    expect(response.status).toBe(200)
    expect(response.header('cache-control')).toBe('no-cache')
    expect(response.body.toString()).toBe(readFileSync(path.join(dist, 'index.html'), 'utf8'))
    expectSeedHeaders(response)
  })

  it('caches hashed assets for a year as immutable and gzips them', async () => {
    const script = hashedAsset('.js')
    const response = await rawRequest(`${nginx.url}${script}`, {
      headers: { 'Accept-Encoding': 'gzip' },
    })
    expect(response.status).toBe(200)
    expect(response.header('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(response.header('content-type')).toMatch(/^application\/javascript/)
    expect(response.header('content-encoding')).toBe('gzip')
    expect(response.header('vary')).toBe('Accept-Encoding')
    expect(gunzipSync(response.body)).toEqual(readFileSync(path.join(dist, script)))
    expectSeedHeaders(response)

    const stylesheet = await rawRequest(`${nginx.url}${hashedAsset('.css')}`)
    expect(stylesheet.header('content-type')).toMatch(/^text\/css/)
    expect(stylesheet.header('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('answers a missing asset with 404, never with the app or a long cache', async () => {
    const response = await rawRequest(`${nginx.url}/assets/index-missing.js`)
    expect(response.status).toBe(404)
    expect(response.header('cache-control')).toBeUndefined()
    expect(response.body.toString()).not.toContain('<div id="root">')
    expectSeedHeaders(response)
  })
})

describe('the API behind /api/', () => {
  it('forwards path, query and client facts, and replaces the API security headers with ours', async () => {
    const response = await rawRequest(`${nginx.url}/api/v1/tickets?q=printer%20jam&limit=5`, {
      headers: { 'Accept-Encoding': 'gzip', 'X-Forwarded-Proto': 'https', 'X-Request-Id': 'req-1' },
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body.toString()).url).toBe('/api/v1/tickets?q=printer%20jam&limit=5')
    const forwarded = seen.at(-1)
    expect(forwarded?.headers['x-forwarded-for']).toBe('127.0.0.1')
    expect(forwarded?.headers['x-forwarded-proto']).toBe('https')
    expect(forwarded?.headers['x-request-id']).toBe('req-1')
    expect(forwarded?.headers.host).toBe(`127.0.0.1:${nginx.port}`)
    expectSeedHeaders(response)
    // The API decides its caching, and its answers are not compressed by nginx (BREACH).
    expect(response.header('cache-control')).toBe('no-store')
    expect(response.header('content-encoding')).toBeUndefined()
  })

  it('gives requests without an id one, and tells the API the scheme it was reached by', async () => {
    await rawRequest(`${nginx.url}/api/v1/auth/me`)
    const forwarded = seen.at(-1)
    expect(forwarded?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(forwarded?.headers['x-forwarded-proto']).toBe('http')
  })

  it('streams uploads through and answers bodies over the limit with a problem document', async () => {
    const body = Buffer.alloc(512 * 1024, 1)
    const accepted = await rawRequest(`${nginx.url}/api/v1/tickets/1/attachments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body,
    })
    expect(accepted.status).toBe(200)
    expect(seen.at(-1)?.bodyBytes).toBe(body.length)

    const tooLarge = await rawRequest(`${nginx.url}/api/v1/tickets/1/attachments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(2 * 1024 * 1024, 1),
    })
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(tooLarge.body.toString())).toMatchObject({
      type: 'payload_too_large',
      status: 413,
    })
    expectSeedHeaders(tooLarge)
  })

  it('proxies the public /healthz probe but never /metrics', async () => {
    const health = await rawRequest(`${nginx.url}/healthz`)
    expect(JSON.parse(health.body.toString()).url).toBe('/healthz')
    const before = seen.length
    const metrics = await rawRequest(`${nginx.url}/metrics`)
    expect(seen.length).toBe(before)
    expect(metrics.body.toString()).toContain('<div id="root"></div>')
  })
})

describe('when the API is unreachable', () => {
  it('answers API requests with a 503 problem document carrying the seed headers', async () => {
    const deadPort = await freePort()
    const alone = await startNginx(({ port }) =>
      renderNginxConfig({ port, apiUpstream: `http://127.0.0.1:${deadPort}`, webRoot: dist }),
    )
    try {
      const response = await rawRequest(`${alone.url}/api/v1/auth/me`)
      expect(response.status).toBe(503)
      expect(response.header('content-type')).toBe('application/problem+json')
      expect(JSON.parse(response.body.toString())).toMatchObject({
        type: 'dependency_unavailable',
        status: 503,
      })
      expectSeedHeaders(response)
      // The app itself is still served.
      expect((await rawRequest(`${alone.url}/`)).status).toBe(200)
    } finally {
      await alone.stop()
    }
  })
})

describe('running unprivileged', () => {
  it('keeps its pid and temp files under the prefix and, started as root, drops to a service user', () => {
    const prefix = nginx.prefix
    const pid = readFileSync(path.join(prefix, 'nginx.pid'), 'utf8').trim()
    const user = execFileSync('ps', ['-o', 'user=', '-p', pid], { encoding: 'utf8' }).trim()
    if (process.getuid?.() === 0) expect(user).not.toBe('root')
    expect(readdirSync(prefix)).toEqual(expect.arrayContaining(['client_body', 'proxy']))
  })
})
