// The API's answers for component tests in jsdom (which has no server to reach): each test
// says what the API answers, in the API's documented shapes, and reads what the app sent.
import { jest } from '@jest/globals'

export interface Sent {
  method: string
  path: string
  headers: Headers
  body: unknown
}

export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (request: Sent) => Answer | undefined

/** What the app's client reads of a fetch answer (jsdom has no Response): status, headers, text. */
export function apiResponse({ status, body, headers = {} }: Answer): Response {
  const all: Record<string, string> = {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    ...Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
  }
  return {
    status,
    headers: new Headers(all),
    text: async () => (body === undefined ? '' : JSON.stringify(body)),
  } as unknown as Response
}

/**
 * Replaces fetch until `restore()`: `handler` answers each request, and anything it does not
 * answer is a 404 problem, so a request the test did not expect shows up as a failure.
 */
export function fakeApi(handler: Handler) {
  const sent: Sent[] = []
  const original = globalThis.fetch
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost')
    const request: Sent = {
      method: init?.method ?? 'GET',
      path: `${url.pathname.replace(/^\/api\/v1/, '')}${url.search}`,
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    }
    sent.push(request)
    return apiResponse(
      handler(request) ?? { status: 404, body: { type: 'not_found', title: 'Not found' } },
    )
  }) as typeof fetch
  return {
    sent,
    restore: () => {
      globalThis.fetch = original
    },
  }
}

/** A problem+json answer as the API sends it. */
export function problem(status: number, type: string, detail: string, errors?: unknown[]): Answer {
  return { status, body: { type, title: type, detail, ...(errors ? { errors } : {}) } }
}
