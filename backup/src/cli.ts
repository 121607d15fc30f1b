// `helpdesk backup|restore|verify|prune|list` (and the standalone `helpdesk-backup`).
// The API's CLI delegates here with the command and its arguments; the exit code says how
// it went (README.md "Exit codes").
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { backup } from './backup.ts'
import { readCatalog } from './catalog.ts'
import { type ConfigOverrides, type Environment, loadConfig } from './config.ts'
import type { ApplicationSchema, Engine } from './engine.ts'
import { BackupError, EXIT_CODES, messageOf, usageError } from './errors.ts'
import { loadKeyring } from './keyring.ts'
import { formatListing, listing } from './list.ts'
import { type Manifest, TIERS, type Tier } from './manifest.ts'
import { createLogger, formatBytes, formatDuration, type Terminal } from './output.ts'
import { prune } from './prune.ts'
import { restore } from './restore.ts'
import { DEFAULT_RETENTION } from './retention.ts'
import { openStore } from './storage.ts'
import { verify } from './verify.ts'

export interface BackupCommandDeps {
  /** The application's migrator; without it restores skip migrations and say so. */
  schema?: ApplicationSchema
  env?: Environment
  stdout?: Terminal
  stderr?: Terminal
  /** Abort to stop the command cleanly (the bin wires SIGINT and SIGTERM to it). */
  signal?: AbortSignal
  now?: () => Date
}

export const COMMANDS = ['backup', 'restore', 'verify', 'prune', 'list'] as const
type Command = (typeof COMMANDS)[number]

export const USAGE = `Usage: helpdesk <command> [options]

Commands:
  backup    Dump the database (and attachments) to the backup bucket, encrypted
              --tier daily|monthly|manual   default manual
              --no-attachments              skip the attachments bucket
  restore   Restore a backup through a staging database, then run migrations
              --backup ID                   default: the newest good backup
              --target-database NAME        restore into a new database NAME, or
              --in-place --confirm NAME     replace the configured database NAME
                                            (kept as NAME_before_restore_<time>)
              --attachments                 also restore the attachment objects
  verify    Restore a backup into a scratch database and check it against its manifest
              --backup ID                   default: the newest good backup
              --keep-scratch                leave the scratch database for inspection
  prune     Delete backups outside the retention policy
              --daily N                     newest daily backups to keep (default ${DEFAULT_RETENTION.daily})
              --monthly M                   months to keep one backup of (default ${DEFAULT_RETENTION.monthly})
              --manual-max-age-days D       also delete manual backups older than D days
              --stale-hours H               age before leftovers of failed runs go (default 24)
              --dry-run                     print the plan, delete nothing
  list      Show backups with tier, age, size, key id and status

Options for every command:
  --bucket NAME, --prefix PATH              override BACKUP_S3_BUCKET, BACKUP_S3_PREFIX
  --keyring-dir DIR                         override BACKUP_KEYRING_DIR
  --database-url URL                        override the DATABASE_* settings
  --maintenance-database NAME               for CREATE/DROP DATABASE (default postgres)
  --json                                    print the result as JSON (default when not a terminal)
  --help

Configuration: BACKUP_S3_*, DATABASE_*, S3_* and AWS_* variables (see README.md).
`

const OPTIONS = {
  tier: { type: 'string' },
  'no-attachments': { type: 'boolean' },
  backup: { type: 'string' },
  'target-database': { type: 'string' },
  'in-place': { type: 'boolean' },
  confirm: { type: 'string' },
  attachments: { type: 'boolean' },
  'keep-scratch': { type: 'boolean' },
  daily: { type: 'string' },
  monthly: { type: 'string' },
  'manual-max-age-days': { type: 'string' },
  'stale-hours': { type: 'string' },
  'dry-run': { type: 'boolean' },
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  'keyring-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'maintenance-database': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

type Flags = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: true }>
>['values']

/** Which flags each command accepts besides the common ones. */
const COMMAND_FLAGS: Record<Command, readonly string[]> = {
  backup: ['tier', 'no-attachments'],
  restore: ['backup', 'target-database', 'in-place', 'confirm', 'attachments'],
  verify: ['backup', 'keep-scratch'],
  prune: ['daily', 'monthly', 'manual-max-age-days', 'stale-hours', 'dry-run'],
  list: [],
}
const COMMON_FLAGS = [
  'bucket',
  'prefix',
  'keyring-dir',
  'database-url',
  'maintenance-database',
  'json',
  'help',
]

export async function runBackupCommand(
  argv: string[],
  deps: BackupCommandDeps = {},
): Promise<number> {
  const stdout = deps.stdout ?? process.stdout
  const stderr = deps.stderr ?? process.stderr
  const env = deps.env ?? process.env
  const logger = createLogger(stderr, env.LOG_LEVEL?.trim() || 'info')
  try {
    const { command, flags } = parseCommandLine(argv)
    if (flags.help || !command) {
      stdout.write(USAGE)
      return command || flags.help ? EXIT_CODES.ok : EXIT_CODES.usage
    }
    const config = loadConfig(env, overrides(flags))
    const engine: Engine = {
      config,
      keyring: await loadKeyring(config.keyringDir),
      store: openStore(config.location),
      logger,
      stderr,
      signal: deps.signal ?? new AbortController().signal,
      now: deps.now ?? (() => new Date()),
      ...(deps.schema ? { schema: deps.schema } : {}),
    }
    try {
      const result = await run(engine, command, flags)
      const json = flags.json || !stdout.isTTY
      stdout.write(json ? `${JSON.stringify(result.value)}\n` : result.text)
      return result.exitCode
    } finally {
      engine.store.client.destroy()
    }
  } catch (error) {
    return reportFailure(error, logger, stderr, deps.signal)
  }
}

/**
 * CONTRIBUTING.md "Backup engine": one JSON line for the operator, which reads it from the
 * Job pod's termination message (so it must stay under 4 KiB). Size and checksum are those
 * of the stored, encrypted object.
 */
function writeResultFile(file: string, manifest: Manifest): void {
  const result = {
    id: manifest.id,
    tier: manifest.tier,
    completedAt: manifest.completedAt,
    key: manifest.dump.key,
    sizeBytes: manifest.dump.ciphertextBytes,
    sha256: manifest.dump.ciphertextSha256,
    keyId: manifest.dump.keyId,
  }
  writeFileSync(file, `${JSON.stringify(result)}\n`)
}

function reportFailure(
  error: unknown,
  logger: ReturnType<typeof createLogger>,
  stderr: Terminal,
  signal?: AbortSignal,
): number {
  if (signal?.aborted) {
    logger.error({ exitCode: EXIT_CODES.failure }, `interrupted: ${messageOf(signal.reason)}`)
    return EXIT_CODES.failure
  }
  if (error instanceof BackupError) {
    logger.error({ kind: error.kind, exitCode: error.exitCode }, error.message)
    if (error.kind === 'usage') stderr.write('Run with --help for usage.\n')
    return error.exitCode
  }
  logger.error(
    { err: error, exitCode: EXIT_CODES.failure },
    `unexpected failure: ${messageOf(error)}`,
  )
  return EXIT_CODES.failure
}

function parseCommandLine(argv: string[]): { command?: Command; flags: Flags } {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: true }>
  >
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true })
  } catch (error) {
    throw usageError(messageOf(error))
  }
  const [command, ...extra] = parsed.positionals
  if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
    throw usageError(`unknown command '${command}' (commands: ${COMMANDS.join(', ')})`)
  }
  if (extra.length > 0) throw usageError(`unexpected argument '${extra[0]}'`)
  if (command) {
    const allowed = new Set([...COMMON_FLAGS, ...COMMAND_FLAGS[command as Command]])
    const stray = Object.keys(parsed.values).filter((flag) => !allowed.has(flag))
    if (stray.length > 0) throw usageError(`${command} does not take --${stray.join(', --')}`)
  }
  return { ...(command ? { command: command as Command } : {}), flags: parsed.values }
}

function overrides(flags: Flags): ConfigOverrides {
  return {
    ...(flags.bucket ? { bucket: flags.bucket } : {}),
    ...(flags.prefix !== undefined ? { prefix: flags.prefix } : {}),
    ...(flags['keyring-dir'] ? { keyringDir: flags['keyring-dir'] } : {}),
    ...(flags['database-url'] ? { databaseUrl: flags['database-url'] } : {}),
  }
}

function wholeNumber(
  flags: Flags,
  name: 'daily' | 'monthly' | 'manual-max-age-days' | 'stale-hours',
): number | undefined {
  const value = flags[name]
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw usageError(`--${name} must be a whole number, got '${value}'`)
  return Number(value)
}

interface CommandResult {
  value: unknown
  text: string
  exitCode: number
}

async function run(engine: Engine, command: Command, flags: Flags): Promise<CommandResult> {
  const maintenanceDatabase = flags['maintenance-database'] ?? 'postgres'
  const done = (value: unknown, text: string): CommandResult => ({
    value,
    text,
    exitCode: EXIT_CODES.ok,
  })
  switch (command) {
    case 'backup': {
      const tier = flags.tier ?? 'manual'
      if (!(TIERS as readonly string[]).includes(tier))
        throw usageError(`--tier must be one of ${TIERS.join(', ')}`)
      const manifest = await backup(engine, {
        tier: tier as Tier,
        attachments: !flags['no-attachments'],
      })
      if (engine.config.resultFile) writeResultFile(engine.config.resultFile, manifest)
      const seconds = (Date.parse(manifest.completedAt) - Date.parse(manifest.startedAt)) / 1000
      return done(
        manifest,
        `backup ${manifest.id} (${manifest.tier}) complete in ${formatDuration(seconds)}: ${formatBytes(manifest.dump.plaintextBytes)} dump stored as ${formatBytes(manifest.dump.ciphertextBytes)} under key ${manifest.dump.keyId}\n`,
      )
    }
    case 'restore': {
      const result = await restore(engine, {
        ...(flags.backup ? { backupId: flags.backup } : {}),
        target: restoreTarget(engine, flags),
        attachments: Boolean(flags.attachments),
        maintenanceDatabase,
      })
      const previous = result.previousDatabase
        ? `; the replaced database is kept as ${result.previousDatabase}`
        : ''
      return done(result, `restored backup ${result.backupId} into ${result.database}${previous}\n`)
    }
    case 'verify': {
      const report = await verify(engine, {
        ...(flags.backup ? { backupId: flags.backup } : {}),
        keepScratch: Boolean(flags['keep-scratch']),
        maintenanceDatabase,
      })
      const text = report.ok
        ? `backup ${report.backupId} verified: ${report.tables} tables, ${report.rows} rows, ${report.checksummedTables} checksummed, schema ${report.schemaVersion.afterMigrations ?? 'not checked'}\n`
        : `backup ${report.backupId} FAILED verification:\n${report.problems.map((line) => `  - ${line}`).join('\n')}\n`
      return { value: report, text, exitCode: report.ok ? EXIT_CODES.ok : EXIT_CODES.verification }
    }
    case 'prune': {
      const manualMaxAgeDays = wholeNumber(flags, 'manual-max-age-days')
      const plan = await prune(engine, {
        policy: {
          daily: wholeNumber(flags, 'daily') ?? DEFAULT_RETENTION.daily,
          monthly: wholeNumber(flags, 'monthly') ?? DEFAULT_RETENTION.monthly,
          ...(manualMaxAgeDays === undefined ? {} : { manualMaxAgeDays }),
        },
        dryRun: Boolean(flags['dry-run']),
        staleAfterHours: wholeNumber(flags, 'stale-hours') ?? 24,
      })
      const verb = plan.dryRun ? 'would delete' : 'deleted'
      const lines = [
        ...plan.keep.map(
          (entry) => `keep    ${entry.id}  ${entry.tier}  (${entry.reasons.join(', ')})`,
        ),
        ...plan.remove.map((entry) => `delete  ${entry.id}  ${entry.tier}`),
        ...plan.removeIncomplete.map((id) => `delete  ${id}  (incomplete)`),
        ...plan.unreadable.map(
          (entry) => `leave   ${entry.id}  (unreadable manifest: ${entry.problem})`,
        ),
        `${verb} ${plan.remove.length + plan.removeIncomplete.length} backups and ${plan.removeBlobs} attachment blobs`,
        ...(plan.blobsSkipped ? [plan.blobsSkipped] : []),
      ]
      return done(plan, `${lines.join('\n')}\n`)
    }
    case 'list': {
      const backups = listing(await readCatalog(engine), engine.now())
      return done(backups, formatListing(backups))
    }
  }
}

/** Names that read the same as an identifier, in a URL and in a connection string. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/

function restoreTarget(engine: Engine, flags: Flags) {
  const configured = engine.config.database?.database
  if (flags['in-place']) {
    if (flags['target-database'])
      throw usageError('--in-place and --target-database exclude each other')
    if (!configured || flags.confirm !== configured) {
      throw usageError(
        `--in-place replaces the database '${configured ?? '(none configured)'}': confirm with --confirm ${configured ?? '<name>'}`,
      )
    }
    return { mode: 'inPlace' } as const
  }
  const database = flags['target-database']
  if (!database) {
    throw usageError(
      'say where to restore: --target-database <new name>, or --in-place --confirm <name>',
    )
  }
  if (!DATABASE_NAME.test(database)) {
    throw usageError(
      `--target-database must be 1-63 letters, digits, '_' or '-', starting with a letter or '_'`,
    )
  }
  if (flags.confirm) throw usageError('--confirm goes with --in-place')
  return { mode: 'newDatabase', database } as const
}
