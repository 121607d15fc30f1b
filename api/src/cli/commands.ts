// The registry of the `helpdesk` command's subcommands (written with cli/command.ts);
// cli/helpdesk.ts dispatches to them and prints usage.

import { usersCommand } from '../accounts/command.ts'
import { apiDocument } from '../app.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { runMigrations } from '../db/database.ts'
import { appKeysCommand } from '../encryption/command.ts'
import { whenAvailable } from '../platform/wait.ts'
import { seedCommand } from '../seed/command.ts'
import { createBucket } from '../storage/s3.ts'
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

/** How long a one-off command (a Job) waits for an unreachable dependency before it fails. */
const DEPENDENCY_WAIT_MS = 5 * 60_000

const printLine = (line: string) => process.stderr.write(`${line}\n`)

const migrateCommand: Command = {
  summary: 'apply pending database migrations (safe to run from several pods at once)',
  usage:
    'helpdesk migrate [--status]   (--status: report only; exit 1 while migrations are pending)',
  async run(argv) {
    const { status } = flags(argv, { status: { type: 'boolean' } })
    const config = loadConfig()
    // A Job started beside a new Postgres waits for it rather than failing and restarting.
    const run = await whenAvailable(
      'helpdesk migrate',
      () => runMigrations(config.database, { apply: !status }),
      { log: printLine, timeoutMs: DEPENDENCY_WAIT_MS },
    )
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

const createBucketCommand: Command = {
  summary: 'create the attachments bucket (S3_BUCKET) unless it exists; waits for the endpoint',
  usage: 'helpdesk create-bucket',
  async run(argv) {
    flags(argv)
    const { s3 } = loadConfig()
    if (!s3) {
      throw new ConfigError([
        'S3_BUCKET: required by create-bucket (without it, attachments go to a local directory)',
      ])
    }
    const created = await whenAvailable('helpdesk create-bucket', () => createBucket(s3), {
      log: printLine,
      timeoutMs: DEPENDENCY_WAIT_MS,
    })
    process.stdout.write(`bucket ${s3.bucket} ${created ? 'created' : 'already there'}\n`)
    return EXIT.ok
  },
}

export const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'create-bucket': createBucketCommand,
  openapi: openapiCommand,
  seed: seedCommand,
  'app-keys': appKeysCommand,
  users: usersCommand,
  ...backupCommands,
}
