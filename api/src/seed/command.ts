// `helpdesk seed --tickets N`: generated demo data, all or nothing (seed/runs.ts). Ctrl-C stops
// it between batches and removes what it wrote.
import type pg from 'pg'
import { type Command, EXIT, flags, UsageError } from '../cli/command.ts'
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrate, schemaStatus } from '../db/migrate.ts'
import { closeOrm, nativePool, openOrm } from '../db/orm.ts'
import { modules } from '../modules.ts'
import { composeModules } from '../platform/module.ts'
import { progressBar } from './progress.ts'
import { SeedFailed, seedDemoData } from './seed.ts'

const MAX_TICKETS = 10_000_000
/** Against a server: two batches in flight, each on its own connection. */
const SERVER_WRITERS = 2

function wholeNumber(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max}`)
  }
  return number
}

export const seedCommand: Command = {
  summary: 'add generated demo data: users, teams, tickets with conversations and history',
  usage: `helpdesk seed --tickets N [--seed S]   (N up to ${MAX_TICKETS}; S makes the content repeatable; a run that fails or is stopped leaves nothing)`,
  async run(argv) {
    const values = flags(argv, { tickets: { type: 'string' }, seed: { type: 'string' } })
    const tickets = wholeNumber('tickets', values.tickets as string | undefined, MAX_TICKETS)
    if (tickets === undefined) throw new UsageError('--tickets is required')
    const seed = wholeNumber('seed', values.seed as string | undefined, 2 ** 31)
    const config = loadConfig()
    const database = await openDatabase(config.database)
    try {
      const composed = composeModules(modules)
      // An embedded database serves one session: one connection, one writer.
      const writers = database.embedded ? 1 : SERVER_WRITERS
      const poolMax = database.embedded ? 1 : writers + 1
      const orm = await openOrm(database.target, composed, { poolMax })
      try {
        // Embedded databases migrate as they open; a server's is migrated by `helpdesk migrate`.
        if (database.embedded) await migrate(orm, database.target)
        const status = await schemaStatus(
          orm,
          composed.migrations.map((migration) => migration.name),
        )
        if (!status.current) {
          process.stderr.write('helpdesk seed: the schema is not current; run helpdesk migrate\n')
          return EXIT.failure
        }
        const pool = (await nativePool(orm)) as unknown as pg.Pool
        return await seedWithProgress(pool, {
          tickets,
          ...(seed === undefined ? {} : { seed }),
          writers,
          exclusive: database.embedded,
        })
      } finally {
        await closeOrm(orm)
      }
    } finally {
      await database.stop()
    }
  },
}

async function seedWithProgress(
  pool: pg.Pool,
  options: { tickets: number; seed?: number; writers: number; exclusive: boolean },
): Promise<number> {
  const stop = new AbortController()
  const interrupt = () => stop.abort(new Error('interrupted'))
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  const started = Date.now()
  try {
    const result = await seedDemoData(pool, {
      ...options,
      signal: stop.signal,
      onProgress: progressBar(process.stderr, 'tickets'),
    })
    for (const run of result.removedRuns) {
      process.stderr.write(`helpdesk seed: removed what the unfinished run ${run} had written\n`)
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10
    process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`)
    return EXIT.ok
  } catch (error) {
    if (!(error instanceof SeedFailed)) throw error
    const reason = stop.signal.aborted ? 'stopped' : `failed: ${error.message}`
    const kept = error.removed
      ? 'nothing of this run was kept'
      : 'what it wrote is removed by the next helpdesk seed'
    process.stderr.write(`\nhelpdesk seed: ${reason}; ${kept}\n`)
    return stop.signal.aborted ? EXIT.interrupted : EXIT.failure
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
  }
}
