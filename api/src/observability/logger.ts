import pino, { type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from '../config.ts'

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
  'code',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrftoken',
]

const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]),
  ...SECRET_KEYS.map((key) => `*.headers["${key}"]`),
]

/** JSON lines on stdout (or `destination` in tests), level from LOG_LEVEL. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'helpdesk-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ sync: false }),
  )
}
