// The `helpdesk` command's subcommands. Each parses its own flags (unknown ones are errors)
// and returns an exit code; cli/helpdesk.ts dispatches and prints usage.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { type Config, loadConfig } from '../config.ts'
import { runMigrations } from '../db/database.ts'
import { startServer } from '../server.ts'
import { bootstrapFirstAdmin } from './bootstrap.ts'

export interface Command {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}

export class UsageError extends Error {}

/** Exit codes (README "CLI"). */
export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const

function flags(argv: string[], options: ParseArgsOptionsConfig = {}) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

const serve: Command = {
  summary: 'run the HTTP API (the default)',
  usage: 'helpdesk serve',
  async run(argv) {
    flags(argv)
    const config = loadConfig()
    const running = await startServer(config)
    const admin = await bootstrapFirstAdmin(config, running.app)
    if (admin.created) {
      process.stdout.write(
        `First admin created: ${admin.email}${admin.generatedPassword ? ` / password: ${admin.generatedPassword}` : ''}\n`,
      )
    }
    process.stdout.write(`Helpdesk ${config.version} listening on ${publicAddress(config)}\n`)
    await stopOnSignal(running.shutdown)
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

export const commands: Record<string, Command> = {
  serve,
  migrate: migrateCommand,
}

function publicAddress(config: Config): string {
  return config.database.kind === 'embedded' ? `http://localhost:${config.port}` : config.publicUrl
}

/** Resolves once SIGTERM or SIGINT was handled; a second signal exits at once. */
function stopOnSignal(shutdown: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = () => {
      process.once('SIGTERM', () => process.exit(EXIT.failure))
      process.once('SIGINT', () => process.exit(EXIT.failure))
      shutdown().then(resolve, reject)
    }
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  })
}
