// The registry of the `helpdesk` command's subcommands (written with cli/command.ts);
// cli/helpdesk.ts dispatches to them and prints usage.

import { usersCommand } from '../accounts/command.ts'
import { apiDocument } from '../app.ts'
import { loadConfig } from '../config.ts'
import { runMigrations } from '../db/database.ts'
import { appKeysCommand } from '../encryption/command.ts'
import { seedCommand } from '../seed/command.ts'
import { backupCommands } from './backup-commands.ts'
import { type Command, EXIT, flags } from './command.ts'
import { serve } from './serve.ts'

const serveCommand: Command = {
  summary: 'run the HTTP API (the default)',
  usage: 'helpdesk serve [--demo-data]   (--demo-data: add demo tickets when there are none)',
  async run(argv) {
    const { 'demo-data': demoData } = flags(argv, { 'demo-data': { type: 'boolean' } })
    // At a terminal the logs are for a person (LOG_FORMAT=json asks for JSON anyway).
    const config = loadConfig(process.env, process.cwd(), { terminal: process.stdout.isTTY })
    await serve(config, { demoData: demoData === true })
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
    const document = apiDocument(loadConfig())
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
  users: usersCommand,
  ...backupCommands,
}
