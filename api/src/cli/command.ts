// The framework every `helpdesk` subcommand is written in: a command parses its own flags
// (unknown ones are usage errors) and returns an exit code. The registry of commands is
// cli/commands.ts; cli/helpdesk.ts dispatches.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'

export interface Command {
  summary: string
  usage: string
  /** True when `run` answers `--help` itself; otherwise the dispatcher prints `usage`. */
  ownHelp?: boolean
  run(argv: string[]): Promise<number>
}

export class UsageError extends Error {}

/** Exit codes (README "CLI"). */
export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78, interrupted: 130 } as const

export function flags(argv: string[], options: ParseArgsOptionsConfig = {}) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** `--help` or `-h` among a command's arguments. */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h')
}
