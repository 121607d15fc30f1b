// `helpdesk seed` and `helpdesk serve --demo-data` as real processes: generated data that
// hangs together, usage errors, an unmigrated database refused, embedded mode included, and
// runs that are all or nothing.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { serviceDir, testServices } from '@helpdesk/harness'
import { afterAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { migrateDatabase } from '../../src/db/database.ts'
import { migratedDataDir } from '../support/embedded.ts'
import {
  HELPDESK_CLI,
  runHelpdesk as helpdesk,
  killServerProcesses,
  startServerProcess,
} from '../support/process.ts'

afterAll(() => killServerProcesses())

async function counts(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<Record<string, string>>(
      `select (select count(*) from users) as users, (select count(*) from tickets) as tickets,
         (select count(*) from messages) as messages,
         (select count(*) from app_setting where key like 'seed_run:%') as unfinished`,
    )
    return rows[0]
  } finally {
    await client.end()
  }
}

/** `helpdesk seed` in the background, resolved once it has written its first batch. */
async function seedUnderWay(url: string) {
  const child = spawn(process.execPath, [HELPDESK_CLI, 'seed', '--tickets', '20000'], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      // The progress line of the first committed batch.
      if (/tickets \[#/.test(stderr)) resolve()
    })
    exited.then(() => reject(new Error(`seed ended early: ${stderr}`)))
  })
  return { child, exited, stderr: () => stderr }
}

describe('helpdesk seed', () => {
  it('writes users, teams, tickets, conversations and history that hang together', async () => {
    const url = await testServices.postgres().createDatabase('seed')
    await migrateDatabase(url)
    const result = await helpdesk(['seed', '--tickets', '500', '--seed', '7'], {
      DATABASE_URL: url,
    })
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.stdout) as Record<string, number>
    expect(summary).toMatchObject({ tickets: 500, customers: 63, agents: 3, teams: 6 })
    expect(result.stderr).toMatch(/tickets \[#{30}\] 100% 500\/500/)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const { rows } = await client.query<Record<string, string>>(
        `select
           (select count(*) from tickets) as tickets,
           (select count(distinct number) from tickets) as numbers,
           (select count(*) from messages) as messages,
           (select count(*) from tickets t
            where not exists (select from messages m where m.ticket_id = t.id)) as silent,
           (select count(*) from tickets t where not exists (
              select from ticket_events e where e.ticket_id = t.id and e.action = 'ticket.created'))
             as unrecorded,
           (select count(*) from tickets where search = ''::tsvector) as unsearchable,
           (select count(*) from tickets where status in ('new', 'open', 'on_hold')
              and resolution_due_at is null) as missing_due,
           (select count(*) from users where password_hash is not null) as can_sign_in`,
      )
      expect(rows[0]).toEqual({
        tickets: '500',
        numbers: '500',
        messages: String(summary.messages),
        silent: '0',
        unrecorded: '0',
        unsearchable: '0',
        missing_due: '0',
        can_sign_in: '0',
      })
      // Searchable by what the messages say, not only the subject.
      const { rows: found } = await client.query<{ count: string }>(
        `select count(*) from tickets
         where search @@ websearch_to_tsquery('english', 'restarted the device')`,
      )
      expect(Number(found[0]?.count)).toBeGreaterThan(0)
    } finally {
      await client.end()
    }
    // A second run adds to the first without clashing (emails, team names).
    const again = await helpdesk(['seed', '--tickets', '20'], { DATABASE_URL: url })
    expect(again.code).toBe(0)
  })

  it('refuses bad flags with its usage (64) and an unmigrated database (1)', async () => {
    for (const args of [
      ['seed'],
      ['seed', '--tickets', '0'],
      ['seed', '--tickets', '12abc'],
      ['seed', '--tickets', '10', '--color'],
    ]) {
      const result = await helpdesk(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
      expect({ args, code: result.code }).toEqual({ args, code: 64 })
      expect(result.stderr).toContain('Usage: helpdesk seed --tickets N')
    }
    const bare = await testServices.postgres().createDatabase('unmigrated')
    const refused = await helpdesk(['seed', '--tickets', '5'], { DATABASE_URL: bare })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('run helpdesk migrate')
  })

  it('seeds an embedded database, migrating it first', async () => {
    const dataDir = serviceDir('helpdesk-seed')
    const result = await helpdesk(['seed', '--tickets', '40'], { HELPDESK_DATA_DIR: dataDir })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ tickets: 40 })
  })

  it('stopped (Ctrl-C) between batches, keeps nothing of its run', async () => {
    const url = await testServices.postgres().createDatabase('seed_stopped')
    await migrateDatabase(url)
    const before = await counts(url)
    const seeding = await seedUnderWay(url)
    seeding.child.kill('SIGINT')
    const [code] = await seeding.exited
    expect(code).toBe(130)
    expect(seeding.stderr()).toContain('stopped; nothing of this run was kept')
    expect(await counts(url)).toEqual(before)
  }, 300_000)

  it('killed mid-run, is removed by the next run before it writes its own', async () => {
    const url = await testServices.postgres().createDatabase('seed_killed')
    await migrateDatabase(url)
    const seeding = await seedUnderWay(url)
    seeding.child.kill('SIGKILL')
    await seeding.exited
    expect(Number((await counts(url))?.tickets)).toBeGreaterThan(0)
    expect((await counts(url))?.unfinished).toBe('1')

    const next = await helpdesk(['seed', '--tickets', '30'], { DATABASE_URL: url })
    expect(next.code).toBe(0)
    expect(next.stderr).toMatch(/removed what the unfinished run [0-9a-f]{8} had written/)
    const summary = JSON.parse(next.stdout) as { customers: number; agents: number }
    expect(await counts(url)).toMatchObject({
      tickets: '30',
      users: String(summary.customers + summary.agents),
      unfinished: '0',
    })
  }, 300_000)
})

describe('helpdesk seed on the data directory of make run', () => {
  it('adds tickets beside the demo data, past the first batch of 2,000', async () => {
    // What make run leaves: the first admin and the demo set, seeded with the default seed.
    const environment = {
      HELPDESK_DATA_DIR: await migratedDataDir(),
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'admin@helpdesk.localhost',
    }
    const server = await startServerProcess(HELPDESK_CLI, environment, ['serve', '--demo-data'])
    expect(server.stdout()).toContain('Demo data added: 120 tickets')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)

    // The same default seed, one connection, several transactions: fresh emails, no waiting
    // for a second session the embedded database does not have.
    const result = await helpdesk(['seed', '--tickets', '2500'], environment)
    expect(result.stderr).not.toMatch(/timeout|duplicate/i)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ tickets: 2500, removedRuns: [] })
  }, 600_000)
})

describe('helpdesk serve --demo-data', () => {
  it('adds the demo set once, after the first admin, in embedded mode', async () => {
    const environment = {
      HELPDESK_DATA_DIR: await migratedDataDir(),
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'admin@helpdesk.localhost',
    }
    const first = await startServerProcess(HELPDESK_CLI, environment, ['serve', '--demo-data'])
    expect(first.stdout()).toMatch(
      /First admin created: admin@helpdesk\.localhost[\s\S]*Demo data added: 120 tickets/,
    )
    first.child.kill('SIGTERM')
    await first.exited
    const second = await startServerProcess(HELPDESK_CLI, environment, ['serve', '--demo-data'])
    expect(second.stdout()).not.toContain('Demo data added')
    second.child.kill('SIGTERM')
    const code = await second.exited
    expect(code).toBe(0)
  })
})
