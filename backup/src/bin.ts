#!/usr/bin/env node
// The standalone `helpdesk-backup`. Inside the product the same commands run as
// `helpdesk backup|restore|verify|prune|list`, with the API's migrator.
import { runBackupCommand } from './cli.ts'
import { sqlMigrations } from './sql-schema.ts'

const stop = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => stop.abort(new Error(`received ${signal}`)))
}
const migrations = process.env.BACKUP_MIGRATIONS_DIR
const keyTables = (process.env.BACKUP_KEY_TABLES ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)
process.exitCode = await runBackupCommand(process.argv.slice(2), {
  signal: stop.signal,
  ...(migrations ? { schema: sqlMigrations(migrations, keyTables) } : {}),
})
