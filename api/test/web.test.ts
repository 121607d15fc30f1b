// Embedded mode serves the built web app from the API process (HELPDESK_WEB_DIR).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { externalEnvironment, startTestApp, type TestApp } from './support/app.ts'

const webDir = serviceDir('helpdesk-web')
mkdirSync(path.join(webDir, 'assets'))
writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Helpdesk</title>')
writeFileSync(path.join(webDir, 'assets', 'index-B7x2kQ9a.js'), 'console.log(1)')
writeFileSync(path.join(webDir, 'robots.txt'), 'User-agent: *')

let api: TestApp

beforeAll(async () => {
  api = await startTestApp({ ...(await externalEnvironment()), HELPDESK_WEB_DIR: webDir })
})
afterAll(() => api.close())

describe('the web app', () => {
  it('serves index.html at / without caching, under the CSP', async () => {
    const response = await fetch(`${api.url}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await response.text()).toBe('<!doctype html><title>Helpdesk</title>')
  })

  it('caches hashed assets for a year, immutable; other files are revalidated', async () => {
    const asset = await fetch(`${api.url}/assets/index-B7x2kQ9a.js`)
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const robots = await fetch(`${api.url}/robots.txt`)
    expect(robots.headers.get('cache-control')).toBe('no-cache')
  })

  it('falls back to index.html for client-side routes', async () => {
    const response = await fetch(`${api.url}/tickets/42`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<title>Helpdesk</title>')
  })

  it('never answers API or probe paths with the app', async () => {
    const api404 = await fetch(`${api.url}/api/v1/unknown`)
    expect(api404.status).toBe(404)
    expect(api404.headers.get('content-type')).toBe('application/problem+json')
    expect((await fetch(`${api.url}/livez`)).headers.get('content-type')).toContain('json')
  })

  it('does not leave its directory', async () => {
    for (const attempt of [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%E0%A4%A',
    ]) {
      const response = await fetch(api.url + attempt)
      expect(await response.text()).not.toContain('root:')
    }
  })
})
