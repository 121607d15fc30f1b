// The demo data `make run` adds on first start (`helpdesk serve --demo-data`).
import type pg from 'pg'
import type { HelpdeskApp } from '../app.ts'
import { nativePool } from '../db/orm.ts'
import { seedDemoData } from './seed.ts'

/** What a first-time visitor sees: enough to fill the queues, from the last few weeks. */
const DEMO_TICKETS = 120
const DEMO_HISTORY_DAYS = 45

/** For `helpdesk serve --demo-data`: a small demo set, only into a helpdesk with no tickets. */
export async function seedDemoIfEmpty(app: HelpdeskApp): Promise<number> {
  const pool = (await nativePool(app.services.orm)) as unknown as pg.Pool
  const { rows } = await pool.query<{ found: boolean }>(
    'select exists (select 1 from tickets) as found',
  )
  if (rows[0]?.found) return 0
  // Embedded: the app's one connection, and this process is the database's only client.
  const embedded = app.services.config.database.kind === 'embedded'
  const result = await seedDemoData(pool, {
    tickets: DEMO_TICKETS,
    historyDays: DEMO_HISTORY_DAYS,
    writers: 1,
    exclusive: embedded,
  })
  return result.tickets
}
