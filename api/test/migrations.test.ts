import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { testServices } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { Migration } from '@mikro-orm/migrations'
import pg from 'pg'
import {
  databaseSchemaStatus,
  externalDatabase,
  migrateDatabase,
  runMigrations,
} from '../src/db/database.ts'
import { modules } from '../src/modules.ts'
import { composeModules } from '../src/platform/module.ts'
import { startTestApp } from './support/app.ts'

/** Every module's migrations in the order they run; the newest is the schema version. */
const ALL = composeModules(modules).migrations.map((migration) => migration.name)
const NEWEST = ALL.at(-1)
const cli = fileURLToPath(new URL('../src/cli/helpdesk.ts', import.meta.url))

function helpdesk(args: string[], environment: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...environment },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

describe('migrations', () => {
  it('apply once; a second run applies nothing', async () => {
    const url = await testServices.postgres().createDatabase('migrate')
    expect(await databaseSchemaStatus(url)).toEqual({
      current: false,
      applied: [],
      pending: ALL,
      unknown: [],
      version: '',
    })
    expect(await migrateDatabase(url)).toEqual(ALL)
    expect(await migrateDatabase(url)).toEqual([])
    expect(await databaseSchemaStatus(url)).toMatchObject({ current: true, version: NEWEST })
    expect(await query(url, "select key from app_setting where key = 'instance_id'")).toHaveLength(
      1,
    )
  })

  it('are safe to run from several processes at once', async () => {
    const url = await testServices.postgres().createDatabase('concurrent')
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => helpdesk(['migrate'], { DATABASE_URL: url })),
    )
    expect(runs.map((run) => run.status)).toEqual([0, 0, 0, 0])
    const reports = runs.map(
      (run) => JSON.parse(run.stdout) as { applied: string[]; current: boolean },
    )
    expect(reports.flatMap((report) => report.applied).sort()).toEqual(ALL)
    expect(reports.every((report) => report.current)).toBe(true)
    expect(await query(url, 'select name from schema_migrations order by name')).toEqual(
      ALL.map((name) => ({ name })),
    )
  })

  it('roll back a failing batch entirely', async () => {
    const url = await testServices.postgres().createDatabase('failing')
    class Migration20300101000000_creates extends Migration {
      override up() {
        this.addSql('create table created_then_rolled_back (id int)')
      }
    }
    class Migration20300101000001_fails extends Migration {
      override up() {
        this.addSql('select * from no_such_table')
      }
    }
    const composed = composeModules([
      ...modules,
      {
        name: 'broken',
        migrations: [
          { name: 'Migration20300101000000_creates', class: Migration20300101000000_creates },
          { name: 'Migration20300101000001_fails', class: Migration20300101000001_fails },
        ],
      },
    ])
    await expect(runMigrations(externalDatabase(url), { composed })).rejects.toThrow(
      'no_such_table',
    )
    expect(await query(url, "select to_regclass('created_then_rolled_back') as t")).toEqual([
      { t: null },
    ])
    expect(await databaseSchemaStatus(url)).toMatchObject({ current: false, applied: [] })
  })

  it('`helpdesk migrate --status` reports without applying; exit 1 while pending', async () => {
    const url = await testServices.postgres().createDatabase('status')
    const pending = await helpdesk(['migrate', '--status'], { DATABASE_URL: url })
    expect(pending.status).toBe(1)
    expect(JSON.parse(pending.stdout)).toEqual({
      applied: [],
      current: false,
      version: '',
      pending: ALL,
      unknown: [],
    })
    await migrateDatabase(url)
    const current = await helpdesk(['migrate', '--status'], { DATABASE_URL: url })
    expect(current.status).toBe(0)
    expect(JSON.parse(current.stdout)).toMatchObject({ current: true, version: NEWEST })
  })

  it('keep a pod unready until the schema is current, then ready without a restart', async () => {
    const url = await testServices.postgres().createDatabase('readiness')
    const api = await startTestApp({ DATABASE_URL: url }, { migrate: false })
    try {
      const unready = await fetch(`${api.url}/readyz`)
      expect(unready.status).toBe(503)
      expect(await unready.json()).toMatchObject({
        detail: `database schema not current (${ALL.length} migrations pending)`,
      })
      expect(await (await fetch(`${api.url}/healthz`)).json()).toMatchObject({ status: 'degraded' })
      await migrateDatabase(url)
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200)
    } finally {
      await api.close()
    }
  })
})

describe('the helpdesk command', () => {
  it('rejects an unknown command with usage and exit 64', async () => {
    const result = await helpdesk(['frobnicate'], {})
    expect(result.status).toBe(64)
    expect(result.stderr).toContain('helpdesk: unknown command "frobnicate"')
    expect(result.stderr).toContain('Usage: helpdesk [command] [flags]')
    expect(result.stderr).toMatch(/ {2}migrate +apply pending database migrations/)
  })

  it('rejects an unknown flag with the command usage and exit 64', async () => {
    const result = await helpdesk(['migrate', '--force'], {})
    expect(result.status).toBe(64)
    expect(result.stderr).toContain("helpdesk migrate: Unknown option '--force'")
    expect(result.stderr).toContain('Usage: helpdesk migrate [--status]')
  })

  it('prints usage for --help', async () => {
    const result = await helpdesk(['--help'], {})
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/ {2}serve +run the HTTP API/)
  })
})
