// `helpdesk backup|restore|verify|prune|list`: the backup engine (@helpdesk/backup) run with
// this application's migrations, so a restore ends on the current schema and a verify
// drill checks that it does.
import { type ApplicationSchema, COMMANDS, runBackupCommand } from '@helpdesk/backup'
import {
  databaseSchemaStatus,
  externalDatabase,
  migrateDatabase,
  withDatabase,
} from '../db/database.ts'
import { APP_KEYS_VARIABLE, openAppKeys } from '../encryption/app-keys.ts'
import { keyProblems } from '../encryption/sealed-columns.ts'
import type { Command } from './command.ts'

/** Tables whose rows each manifest checksums: what a restore must bring back exactly. */
const KEY_TABLES = ['users', 'teams', 'tickets', 'messages', 'attachments', 'audit_events']

export const applicationSchema: ApplicationSchema = {
  schemaVersion: async (url) => (await databaseSchemaStatus(url)).version,
  migrate: async (url) => {
    await migrateDatabase(url)
  },
  pendingMigrations: async (url) => (await databaseSchemaStatus(url)).pending,
  keyTables: KEY_TABLES,
  // A restore into a release without the application key would lose everyone's MFA: refuse.
  usabilityProblems: async (url) => {
    const dir = process.env[APP_KEYS_VARIABLE]?.trim()
    const sealer = dir ? await openAppKeys({ dir, generate: false }) : null
    return withDatabase(externalDatabase(url), (em) => keyProblems(em, sealer))
  },
}

const SUMMARIES: Record<(typeof COMMANDS)[number], string> = {
  backup: 'dump the database and attachments to the backup bucket, encrypted',
  restore: 'restore a backup (into a new database, or in place with --in-place --confirm)',
  verify: 'restore a backup into a scratch database and check it against its manifest',
  prune: 'delete backups outside the retention policy (--dry-run shows the plan)',
  list: 'show backups with tier, age, size and key id',
}

function backupCommand(name: (typeof COMMANDS)[number]): Command {
  return {
    summary: SUMMARIES[name],
    usage: `helpdesk ${name} --help`,
    ownHelp: true,
    async run(argv) {
      // Ctrl-C or the Job's SIGTERM stops uploads and removes scratch databases first.
      const stop = new AbortController()
      const abort = (signal: NodeJS.Signals) => stop.abort(new Error(`received ${signal}`))
      process.once('SIGINT', abort)
      process.once('SIGTERM', abort)
      try {
        return await runBackupCommand([name, ...argv], {
          schema: applicationSchema,
          signal: stop.signal,
        })
      } finally {
        process.off('SIGINT', abort)
        process.off('SIGTERM', abort)
      }
    },
  }
}

export const backupCommands: Record<string, Command> = Object.fromEntries(
  COMMANDS.map((name) => [name, backupCommand(name)]),
)
