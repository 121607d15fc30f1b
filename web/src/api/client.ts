// The one way the app talks to the API: same-origin requests with the session cookie, the
// CSRF token on every state-changing request, and problem+json errors turned into ApiError.
import { messages as m } from '../i18n/messages.ts'

export const API_BASE = '/api/v1'

export interface FieldError {
  path: string
  message: string
}

interface Problem {
  type?: string
  title?: string
  detail?: string
  errors?: FieldError[]
  requestId?: string
}

export class ApiError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: FieldError[]
  readonly requestId: string | undefined
  readonly retryAfterSeconds: number | undefined
  /** The parsed response body, for the rare endpoint whose error answer is not a problem. */
  readonly body: unknown

  constructor(status: number, body: unknown, retryAfterSeconds?: number) {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as Problem
    const title = problem.title ?? fallbackTitle(status)
    super(problem.detail ?? title)
    this.name = 'ApiError'
    this.status = status
    this.type = problem.type ?? (status === 0 ? 'network_error' : `http_${status}`)
    this.title = title
    this.detail = problem.detail
    this.errors = Array.isArray(problem.errors) ? problem.errors : []
    this.requestId = problem.requestId
    this.retryAfterSeconds = retryAfterSeconds
    this.body = body
  }

  /** The message for a body field (e.g. "email", reported as "body.email") the API rejected. */
  fieldMessage(field: string): string | undefined {
    const message = this.errors.find((error) => error.path === `body.${field}`)?.message
    return message === undefined ? undefined : asSentence(message)
  }

  /**
   * What a form must still say after its fields showed their own messages: null when every
   * problem belongs to one of `fields`, else the rest in words ("Email: …"), never the bare
   * summary ("invalid body") beside a field that already says what is wrong.
   */
  beyondFields(fields: readonly string[]): Error | null {
    if (this.errors.length === 0) return this
    const rest = this.errors.filter(
      (error) => !fields.some((field) => error.path === `body.${field}`),
    )
    return rest.length === 0 ? null : new Error(describeFieldErrors(rest))
  }
}

/** The API's terse field messages ("at least 12 characters") as a sentence people read. */
function asSentence(message: string): string {
  const trimmed = message.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/** "body.email", "invalid email address" → "Email: invalid email address." */
function describeFieldErrors(errors: FieldError[]): string {
  return errors
    .map(({ path, message }) => {
      const name = path.split('.').slice(1).join(' ') || path
      const sentence = asSentence(message)
      return m.errors.field({
        field: `${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        problem: `${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`,
      })
    })
    .join(' ')
}

function fallbackTitle(status: number): string {
  if (status === 0) return m.errors.unreachable
  if (status === 404) return m.errors.notFound
  if (status === 413) return m.errors.tooLarge
  if (status === 429) return m.errors.tooManyAttempts
  if (status >= 500) return m.errors.serverProblem
  return m.errors.requestFailed({ status })
}

/** What the rest of the app reacts to: the session ended, or MFA must be set up first. */
export type ApiSignal = 'session-expired' | 'mfa-enrollment-required'
const signalListeners = new Set<(signal: ApiSignal) => void>()

export function onApiSignal(listener: (signal: ApiSignal) => void): () => void {
  signalListeners.add(listener)
  return () => signalListeners.delete(listener)
}

let csrfToken: string | undefined

/** The token from the login (or /auth/me) response, sent back on state-changing requests. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token
}

export type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
  /**
   * A 401 is an expected answer (sign-in, "who am I") rather than a session that expired.
   */
  anonymous?: boolean
  /** Extra request headers (If-Match, Idempotency-Key). */
  headers?: Record<string, string>
  /** Sees the response headers of every answer, successful or not (ETag). */
  onHeaders?: (headers: Headers) => void
  /** The request outlives the page (sent as it closes). */
  keepalive?: boolean
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

/** `path` is absolute ("/healthz"); API calls go through `api` below. */
export async function request<T>(
  method: Method,
  path: string,
  {
    query,
    body,
    signal,
    anonymous = false,
    headers: extra,
    onHeaders,
    keepalive,
  }: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRFToken'] = csrfToken
  let response: Response
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
      keepalive,
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, {})
  }
  onHeaders?.(response.headers)
  return settle<T>(
    response.status,
    response.headers.get('Content-Type'),
    response.headers.get('Retry-After'),
    await response.text(),
    anonymous,
  )
}

/** Turns a finished response into its JSON value, or throws the ApiError it describes. */
function settle<T>(
  status: number,
  contentType: string | null,
  retryAfter: string | null,
  text: string,
  anonymous: boolean,
): T {
  const parsed = parseJson(contentType, text)
  if (status >= 200 && status < 300) return (status === 204 ? undefined : parsed) as T
  const error = new ApiError(status, parsed, retryAfterSeconds(retryAfter))
  if (status === 401 && !anonymous) emit('session-expired')
  if (status === 403 && error.type === 'mfa_enrollment_required') emit('mfa-enrollment-required')
  throw error
}

function parseJson(contentType: string | null, text: string): unknown {
  if (!text || !contentType || !/json/i.test(contentType)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function retryAfterSeconds(header: string | null): number | undefined {
  const seconds = header === null ? Number.NaN : Number(header)
  return Number.isFinite(seconds) ? seconds : undefined
}

function emit(signal: ApiSignal): void {
  for (const listener of signalListeners) listener(signal)
}

const at = (path: string) => `${API_BASE}${path}`

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', at(path), options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', at(path), { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', at(path), { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', at(path), { ...options, body }),
  delete: (path: string, options?: RequestOptions) =>
    request<undefined>('DELETE', at(path), options),
}

export interface UploadOptions {
  /** Called with the fraction (0–1) of the body sent so far. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/**
 * A multipart upload through XMLHttpRequest, the one browser API that reports upload
 * progress. Same headers and error handling as every other request.
 */
export function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', at(path))
    xhr.setRequestHeader('Accept', 'application/json')
    if (csrfToken) xhr.setRequestHeader('X-CSRFToken', csrfToken)
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total)
    })
    xhr.addEventListener('load', () => {
      try {
        resolve(
          settle<T>(
            xhr.status,
            xhr.getResponseHeader('Content-Type'),
            xhr.getResponseHeader('Retry-After'),
            xhr.responseText,
            false,
          ),
        )
      } catch (error) {
        reject(error)
      }
    })
    xhr.addEventListener('error', () => reject(new ApiError(0, {})))
    xhr.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')))
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

/** The sentence to show a person for any failure. */
export function errorMessage(error: unknown): string {
  // The session dialog explains the rest; here the person learns the action did not happen.
  if (error instanceof ApiError && error.status === 401) {
    return m.errors.sessionEnded
  }
  // A schema's refusal says only "invalid body"; its field errors say what is wrong.
  if (error instanceof ApiError && error.type === 'validation_error' && error.errors.length > 0) {
    return describeFieldErrors(error.errors)
  }
  if (error instanceof ApiError) return error.message
  if (error instanceof Error && error.name !== 'AbortError') return error.message
  return m.errors.unknown
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}
