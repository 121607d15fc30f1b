// The `helpdesk` command's subcommands. Each parses its own flags (unknown ones are errors)
// and returns an exit code; cli/helpdesk.ts dispatches and prints usage.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { runMigrations } from '../db/database.ts'
import { appKeysCommand } from '../encryption/command.ts'
import { modules } from '../modules.ts'
import { composeModules } from '../platform/module.ts'
import { openApiDocument } from '../routes/openapi.ts'
import { seedCommand } from '../seed/command.ts'
import { sessionCookieName } from '../sessions/cookie.ts'
import { backupCommands } from './backup-commands.ts'
import { serve } from './serve.ts'

export interface Command {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}

export class UsageError extends Error {}

/** Exit codes (README "CLI"). */
export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const

export function flags(argv: string[], options: ParseArgsOptionsConfig = {}) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

const serveCommand: Command = {
  summary: 'run the HTTP API (the default)',
  usage: 'helpdesk serve [--demo-data]   (--demo-data: add demo tickets when there are none)',
  async run(argv) {
    const { 'demo-data': demoData } = flags(argv, { 'demo-data': { type: 'boolean' } })
    await serve(loadConfig(), { demoData: demoData === true })
    return EXIT.ok
  },
}

const migrateCommand: Command = {
  summary: 'apply pending database migrations (safe to run from several pods at once)',
  usage:
    'helpdesk migrate [--status]   (--status: report only; exit 1 while migrations are pending)',
  async run(argv) {
    const { status } = flags(argv, { status: { type: 'boolean' } })
    const config = loadConfig()
    const run = await runMigrations(config.database, { apply: !status })
    const { current, version, pending, unknown } = run.status
    process.stdout.write(
      `${JSON.stringify({ applied: run.applied, current, version, pending, unknown })}\n`,
    )
    return current ? EXIT.ok : EXIT.failure
  },
}

const openapiCommand: Command = {
  summary: 'print the OpenAPI document this version serves (for client generators)',
  usage: 'helpdesk openapi > openapi.json',
  async run(argv) {
    flags(argv)
    const config = loadConfig()
    const document = openApiDocument(composeModules(modules).routes, {
      version: config.version,
      sessionCookieName: sessionCookieName({ secure: config.publicUrl.startsWith('https:') }),
    })
    // helpdesk.ts exits right after: a pipe must have taken the whole document by then.
    await new Promise((resolve) =>
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`, resolve),
    )
    return EXIT.ok
  },
}

export const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  openapi: openapiCommand,
  seed: seedCommand,
  'app-keys': appKeysCommand,
  ...backupCommands,
}
