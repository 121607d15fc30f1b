// A database or network failure is the dependency's fault, not ours: clients get 503 (retry
// later) rather than 500, and readiness reports the dependency.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
])

/** SQLSTATEs of an unavailable server: class 08, shutdown and start-up, too many clients. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/

/**
 * pg reports a lost connection or an exhausted pool only in the message; the AWS SDK wraps a
 * refused connection after its retries ("AWS SDK error wrapper for Error: connect
 * ECONNREFUSED ...") without the code.
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|\bconnect (ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH)\b/i

export function isDependencyFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as {
      code?: unknown
      message?: unknown
      cause?: unknown
    }
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
      return true
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true
    current = cause
  }
  return false
}
