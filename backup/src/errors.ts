/**
 * Every failure the engine expects has a kind, and every kind has its own exit code, so a
 * Job, the operator or a script can tell "the backup is corrupt" from "S3 was down" without
 * parsing messages. The table is documented in README.md ("Exit codes"); keep both in step.
 */
/** Shared with the `helpdesk` command: 64 and 78 are sysexits' EX_USAGE and EX_CONFIG. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 64,
  config: 78,
  notFound: 3,
  integrity: 4,
  key: 5,
  version: 6,
  conflict: 7,
  verification: 8,
  unavailable: 9,
} as const

export type ErrorKind = Exclude<keyof typeof EXIT_CODES, 'ok'>

export class BackupError extends Error {
  readonly kind: ErrorKind

  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BackupError'
    this.kind = kind
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind]
  }
}

export const usageError = (message: string) => new BackupError('usage', message)
export const configError = (message: string) => new BackupError('config', message)
export const integrityError = (message: string) => new BackupError('integrity', message)
export const keyError = (message: string) => new BackupError('key', message)
export const notFoundError = (message: string) => new BackupError('notFound', message)

/** The message of anything thrown, for logs and wrapped errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
