// `verify`: the automatic restore drill. Restores a backup into a scratch database, then
// checks it against the manifest (row counts of every table, checksums of the key tables)
// and that the application's migrations bring it up to date.

import { randomBytes } from 'node:crypto'
import { databaseUrl } from '@helpdesk/config'
import { findBackup } from './catalog.ts'
import { requireDatabase } from './config.ts'
import type { Engine } from './engine.ts'
import type { TableFacts } from './manifest.ts'
import { connect, dropDatabase, tableFacts, withClient } from './postgres.ts'
import { derivedName, restoreIntoNewDatabase } from './restore.ts'

export interface VerifyOptions {
  backupId?: string
  /** Leave the scratch database for inspection instead of dropping it. */
  keepScratch: boolean
  maintenanceDatabase: string
}

export interface VerifyReport {
  backupId: string
  ok: boolean
  /** Empty when ok. */
  problems: string[]
  tables: number
  rows: number
  checksummedTables: number
  schemaVersion: { backup: string | null; afterMigrations: string | null }
  /** Set when --keep-scratch left it behind. */
  scratchDatabase?: string
  durationMs: number
}

export async function verify(engine: Engine, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now()
  const settings = requireDatabase(engine.config)
  const manifest = await findBackup(engine, options.backupId)
  const log = engine.logger.child({ backup: manifest.id })
  const admin = await connect(settings, options.maintenanceDatabase)
  try {
    const scratchName = derivedName(
      `hd_verify_${manifest.id.toLowerCase().replace(/-/g, '_')}`,
      randomBytes(3).toString('hex'),
    )
    log.info({ scratchDatabase: scratchName }, 'verification started')
    const scratch = await restoreIntoNewDatabase(engine, manifest, admin, scratchName)
    try {
      const keyTables = manifest.tables
        .filter((table) => table.checksum !== undefined)
        .map((table) => `${table.schema}.${table.name}`)
      const restored = await withClient(settings, scratch, (client) =>
        tableFacts(client, keyTables),
      )
      const problems = compareTables(manifest.tables, restored)
      let afterMigrations: string | null = null
      if (engine.schema) {
        const url = databaseUrl(settings, scratch)
        await engine.schema.migrate(url)
        const pending = await engine.schema.pendingMigrations(url)
        if (pending.length > 0)
          problems.push(`migrations still pending after migrating: ${pending.join(', ')}`)
        afterMigrations = await engine.schema.schemaVersion(url)
        problems.push(...((await engine.schema.usabilityProblems?.(url)) ?? []))
      } else {
        log.warn('no application schema given: migrations were not checked')
      }
      const report: VerifyReport = {
        backupId: manifest.id,
        ok: problems.length === 0,
        problems,
        tables: manifest.tables.length,
        rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
        checksummedTables: keyTables.length,
        schemaVersion: { backup: manifest.schemaVersion, afterMigrations },
        ...(options.keepScratch ? { scratchDatabase: scratch } : {}),
        durationMs: Math.round(performance.now() - started),
      }
      log[report.ok ? 'info' : 'error']({ ok: report.ok, problems }, 'verification finished')
      return report
    } finally {
      if (!options.keepScratch) await dropDatabase(admin, scratch)
    }
  } finally {
    await admin.end().catch(() => {})
  }
}

/** Differences between the tables a manifest lists and those restored. */
function compareTables(expected: readonly TableFacts[], actual: readonly TableFacts[]): string[] {
  const name = (table: TableFacts) => `${table.schema}.${table.name}`
  const restored = new Map(actual.map((table) => [name(table), table]))
  const listed = new Set(expected.map(name))
  const problems: string[] = []
  for (const table of expected) {
    const found = restored.get(name(table))
    if (!found) problems.push(`${name(table)}: missing after restore`)
    else if (found.rows !== table.rows)
      problems.push(`${name(table)}: ${found.rows} rows, the manifest says ${table.rows}`)
    else if (table.checksum !== undefined && found.checksum !== table.checksum) {
      problems.push(`${name(table)}: row checksum differs from the manifest`)
    }
  }
  for (const table of actual) {
    if (!listed.has(name(table))) problems.push(`${name(table)}: not in the manifest`)
  }
  return problems
}
