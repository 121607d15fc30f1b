// `helpdesk seed --tickets N`.
import type pg from 'pg'
import { type Command, EXIT, flags, UsageError } from '../cli/commands.ts'
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrate, schemaStatus } from '../db/migrate.ts'
import { nativePool, openOrm } from '../db/orm.ts'
import { modules } from '../modules.ts'
import { composeModules } from '../platform/module.ts'
import { progressBar } from './progress.ts'
import { seedDemoData } from './seed.ts'

const MAX_TICKETS = 10_000_000

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
  usage: `helpdesk seed --tickets N [--seed S]   (N up to ${MAX_TICKETS}; S makes runs repeatable)`,
  async run(argv) {
    const values = flags(argv, { tickets: { type: 'string' }, seed: { type: 'string' } })
    const tickets = wholeNumber('tickets', values.tickets as string | undefined, MAX_TICKETS)
    if (tickets === undefined) throw new UsageError('--tickets is required')
    const seed = wholeNumber('seed', values.seed as string | undefined, 2 ** 31)
    const config = loadConfig()
    const database = await openDatabase(config.database)
    try {
      const composed = composeModules(modules)
      const orm = await openOrm(database.target, composed, { poolMax: 2 })
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
        const started = Date.now()
        const result = await seedDemoData(pool, {
          tickets,
          ...(seed === undefined ? {} : { seed }),
          onProgress: progressBar(process.stderr, 'tickets'),
        })
        const seconds = Math.round((Date.now() - started) / 100) / 10
        process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`)
        return EXIT.ok
      } finally {
        await orm.close()
      }
    } finally {
      await database.stop()
    }
  },
}
