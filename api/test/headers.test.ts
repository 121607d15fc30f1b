import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { environmentFor, MODES, startTestApp, type TestApp } from './support/app.ts'
import { until } from './support/wait.ts'

const CSP =
  "default-src 'self';img-src 'self' data: https:;script-src 'self';" +
  "style-src 'self' 'unsafe-inline';connect-src 'self' https://api.example.com wss:;" +
  "frame-ancestors 'none';base-uri 'none';form-action 'self'"
const HSTS = 'max-age=63072000; includeSubDomains; preload'

describe.each(MODES)('%s', (mode) => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp({
      ...(await environmentFor(mode)),
      HELPDESK_CORS_ORIGINS: 'https://app.example.com,http://localhost:5173',
      HELPDESK_CSP_CONNECT_SRC: 'https://api.example.com wss:',
      HELPDESK_TRUST_PROXY: 'true',
    })
  })
  afterAll(() => api.close())

  describe('security headers', () => {
    it.each(['/livez', '/api/v1/instance', '/api/v1/nope'])('are exact on %s', async (path) => {
      const response = await fetch(api.url + path)
      expect(response.headers.get('content-security-policy')).toBe(CSP)
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('x-xss-protection')).toBe('1; mode=block')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-powered-by')).toBeNull()
      expect(response.headers.get('strict-transport-security')).toBeNull()
      expect(response.headers.get('cache-control')).toBe('no-store')
    })

    it('adds HSTS when a trusted proxy says the request came over TLS', async () => {
      const response = await fetch(`${api.url}/livez`, {
        headers: { 'X-Forwarded-Proto': 'https' },
      })
      expect(response.headers.get('strict-transport-security')).toBe(HSTS)
    })
  })

  describe('trusted proxy', () => {
    it('logs the client address the ingress appended, not one the client forged', async () => {
      const response = await fetch(`${api.url}/livez`, {
        headers: {
          'X-Forwarded-For': '198.51.100.7, 203.0.113.9',
          'X-Request-Id': 'proxy-ip-check',
        },
      })
      expect(response.status).toBe(200)
      // The access line is written when the response has been sent: wait for it.
      await until(() => api.logs.some((entry) => entry.requestId === 'proxy-ip-check'))
      const line = api.logs.find((entry) => entry.requestId === 'proxy-ip-check')
      expect(line?.clientIp).toBe('203.0.113.9')
    })
  })

  describe('CORS', () => {
    it('allows a configured origin with credentials', async () => {
      const response = await fetch(`${api.url}/api/v1/instance`, {
        headers: { Origin: 'https://app.example.com' },
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
      expect(response.headers.get('access-control-allow-credentials')).toBe('true')
      expect(response.headers.get('vary')).toContain('Origin')
    })

    it('answers a preflight from a configured origin with the seed methods and headers', async () => {
      const response = await fetch(`${api.url}/api/v1/tickets`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:5173',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, x-csrftoken',
        },
      })
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      expect(response.headers.get('access-control-allow-methods')).toBe(
        'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      )
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'Content-Type, Authorization, X-CSRFToken',
      )
      expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    })

    it('gives an unknown origin no CORS header at all', async () => {
      const response = await fetch(`${api.url}/api/v1/instance`, {
        headers: { Origin: 'https://evil.example.net' },
      })
      expect(response.status).toBe(200)
      expect(
        [...response.headers.keys()].filter((name) => name.startsWith('access-control')),
      ).toEqual([])
    })

    it('refuses the preflight of an unknown origin without CORS headers', async () => {
      const response = await fetch(`${api.url}/api/v1/instance`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'DELETE' },
      })
      expect(response.status).toBe(403)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(
        [...response.headers.keys()].filter((name) => name.startsWith('access-control')),
      ).toEqual([])
    })
  })
})
