// The one error model: every failure the API reports is an HttpError with a stable `type` id,
// rendered as RFC 9457 problem+json by http/problems.ts. Clients branch on `type`, never on
// text. Outside HTTP, a UserError is a problem the person running Helpdesk can fix.

/** Stable error ids. The domain adds its own (mfa_required...) with `defineErrorType`. */
export const ERROR_TYPES = {
  validation_error: { status: 400, title: 'Invalid input' },
  invalid_json: { status: 400, title: 'Malformed JSON body' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  csrf_failed: { status: 403, title: 'CSRF token missing or wrong' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'The resource changed since you read it' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Semantically invalid input' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  not_implemented: { status: 501, title: 'Not implemented' },
  dependency_unavailable: { status: 503, title: 'A dependency is unavailable' },
  shutting_down: { status: 503, title: 'Shutting down' },
} satisfies Record<string, ErrorTypeDefinition>

export interface ErrorTypeDefinition {
  status: number
  title: string
}

const registry = new Map<string, ErrorTypeDefinition>(Object.entries(ERROR_TYPES))

/** Registers a domain error id once, at module load; a clash with another meaning throws. */
export function defineErrorType(type: string, definition: ErrorTypeDefinition): string {
  const existing = registry.get(type)
  if (existing && (existing.status !== definition.status || existing.title !== definition.title)) {
    throw new Error(`error type ${type} is already defined differently`)
  }
  registry.set(type, definition)
  return type
}

export type PlatformErrorType = keyof typeof ERROR_TYPES

export interface FieldError {
  /** Dotted path into the input, prefixed with where it came from: `body.email`, `query.limit`. */
  path: string
  message: string
}

export interface HttpErrorOptions {
  detail?: string
  errors?: FieldError[]
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>
  cause?: unknown
}

export class HttpError extends Error {
  readonly type: string
  readonly status: number
  readonly title: string
  readonly detail: string | undefined
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string>

  constructor(type: PlatformErrorType | (string & {}), options: HttpErrorOptions = {}) {
    const definition = registry.get(type)
    if (!definition) throw new Error(`unknown error type ${type}: register it with defineErrorType`)
    super(options.detail ?? definition.title, { cause: options.cause })
    this.name = 'HttpError'
    this.type = type
    this.status = definition.status
    this.title = definition.title
    this.detail = options.detail
    this.errors = options.errors
    this.headers = options.headers ?? {}
  }
}

/** The problem+json body; `requestId` ties it to the access and error logs. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  errors?: FieldError[]
  requestId: string
}

export function toProblem(error: HttpError, requestId: string): Problem {
  return {
    type: error.type,
    title: error.title,
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(error.errors === undefined ? {} : { errors: error.errors }),
    requestId,
  }
}

/**
 * A problem the person running a `helpdesk` command can fix (the data directory is in use, the
 * database cannot be reached): the CLI prints its message on one line, without a stack.
 */
export class UserError extends Error {
  override name = 'UserError'
}
