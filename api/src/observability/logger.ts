import pino, { type DestinationStream, type Logger } from 'pino'
import type { LogFormat, LogLevel } from '../config.ts'
import { prettyDestination } from './pretty.ts'

export type { Logger } from 'pino'

/**
 * Secrets must never reach a log line, whatever object a caller passes: any key with one of
 * these names, at the top level or one level down (`req.headers.cookie`, `body.password`).
 */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'csrfToken',
  'secret',
  'totp',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrftoken',
]

const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]),
  ...SECRET_KEYS.map((key) => `*.headers["${key}"]`),
]

/**
 * stdout written in batches of 2–4 KB, at least once a second: one write per access line
 * cost more than the rest of a probe's request. `helpdesk serve` flushes after draining and
 * pino at exit (errors included); only a process killed outright (SIGKILL, out of memory)
 * loses what it buffered, at most a second's lines.
 */
const BATCHED_STDOUT = {
  sync: false,
  minLength: 2048,
  // Each write stays within PIPE_BUF, so a pipe never interleaves it with another writer's.
  maxWrite: 4096,
  periodicFlush: 1000,
}

export interface Loggers {
  /** Redacts secrets from whatever object it is given. */
  app: Logger
  /**
   * The access log only: its fields are fixed and never secret (the path without the query
   * string, no headers but the user agent), so it skips redaction, which would otherwise
   * cost more than the rest of a simple request.
   */
  access: Logger
}

/**
 * JSON lines on stdout (or `destination` in tests), level from LOG_LEVEL; `pretty`: lines for
 * a person at a terminal (LOG_FORMAT, pretty.ts).
 */
export function createLoggers(
  level: LogLevel,
  destination?: DestinationStream,
  format: LogFormat = 'json',
): Loggers {
  const stream =
    destination ??
    (format === 'pretty' ? prettyDestination(process.stdout) : pino.destination(BATCHED_STDOUT))
  const options = {
    level,
    base: { service: 'helpdesk-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  }
  return {
    app: pino({ ...options, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream),
    access: pino(options, stream),
  }
}
