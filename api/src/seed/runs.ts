// A seed run is all or nothing. Its rows are tagged (the run tag is in every email it makes)
// and a marker row in app_setting says it has not finished: a run that fails removes what it
// wrote; a run that was killed leaves its marker, and the next `helpdesk seed` removes its
// rows. Against a server, a live run holds an advisory lock, so a run in another process is
// never mistaken for an abandoned one; an embedded database has one process by construction.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { inTransaction } from './transaction.ts'

const MARKER = 'seed_run:'

/** Eight hex digits: a fresh tag for every run, whatever seed shaped its content. */
export function newRunTag(): string {
  return randomBytes(4).toString('hex')
}

/** The emails a run makes: `<name>.<tag><n>@helpdesk.example` or `@customers.example`. */
export function runEmail(name: string, tag: string, index: number, role: 'customer' | 'agent') {
  const slug = name.toLowerCase().replace(/\W+/g, '.')
  return `${slug}.${tag}${index}@${role === 'agent' ? 'helpdesk' : 'customers'}.example`
}

const runUsers = (tag: string) => `\\.${tag}[0-9]+@(helpdesk|customers)\\.example$`

export interface RunClaim {
  tag: string
  /** Tags of abandoned runs whose rows were removed before this one started. */
  removed: string[]
  /** The run is complete: its marker goes, its rows stay. */
  finish(): Promise<void>
  /** The run failed: its rows and its marker go. */
  abandon(): Promise<void>
}

/**
 * Removes the rows of runs that were abandoned, then marks `tag` as running. `exclusive`: no
 * other process can reach this database (embedded), so every unfinished run is abandoned.
 */
export async function claimRun(pool: pg.Pool, tag: string, exclusive: boolean): Promise<RunClaim> {
  // Against a server, this client holds the run's advisory lock until it ends.
  const lock = exclusive ? null : await pool.connect()
  try {
    const removed = await removeAbandonedRuns(pool, lock)
    await lock?.query('select pg_advisory_lock(hashtext($1))', [MARKER + tag])
    await pool.query(
      `insert into app_setting (key, value) values ($1, jsonb_build_object('startedAt', now()))`,
      [MARKER + tag],
    )
    const release = async () => {
      await lock?.query('select pg_advisory_unlock(hashtext($1))', [MARKER + tag])
      lock?.release()
    }
    return {
      tag,
      removed,
      async finish() {
        await pool.query('delete from app_setting where key = $1', [MARKER + tag])
        await release()
      },
      async abandon() {
        try {
          await removeRun(pool, tag)
        } finally {
          await release().catch(() => lock?.release(true))
        }
      },
    }
  } catch (error) {
    lock?.release(true)
    throw error
  }
}

async function removeAbandonedRuns(pool: pg.Pool, lock: pg.PoolClient | null): Promise<string[]> {
  const { rows } = await pool.query<{ key: string }>(
    'select key from app_setting where starts_with(key, $1) order by key',
    [MARKER],
  )
  const removed: string[] = []
  for (const { key } of rows) {
    if (lock) {
      const { rows: taken } = await lock.query<{ free: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as free',
        [key],
      )
      if (!taken[0]?.free) continue // another process is seeding right now
    }
    await removeRun(pool, key.slice(MARKER.length))
    await lock?.query('select pg_advisory_unlock(hashtext($1))', [key])
    removed.push(key.slice(MARKER.length))
  }
  return removed
}

/** Everything the run wrote (its tickets take their messages and events along), in one go. */
async function removeRun(pool: pg.Pool, tag: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `delete from tickets
       where requester_id in (select id from users where email ~ $1)`,
      [runUsers(tag)],
    )
    await client.query('delete from users where email ~ $1', [runUsers(tag)])
    await client.query('delete from app_setting where key = $1', [MARKER + tag])
  })
}
