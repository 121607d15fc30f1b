import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { runBackupCommand, USAGE } from '../src/cli.ts'
import type { Environment } from '../src/config.ts'
import { EXIT_CODES } from '../src/errors.ts'
import type { ListedBackup } from '../src/list.ts'
import { sqlMigrations } from '../src/sql-schema.ts'
import { cli, MIGRATIONS, testBed } from './fixture.ts'

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url))

/** Runs the command with terminals on both streams, as a person at a shell would. */
async function atTerminal(argv: string[], env: Environment) {
  let stdout = ''
  let stderr = ''
  const code = await runBackupCommand(argv, {
    env,
    stdout: { isTTY: true, write: (text: string) => (stdout += text) },
    stderr: { isTTY: true, write: (text: string) => (stderr += text) },
  })
  return { code, stdout, stderr }
}

describe('the command line', () => {
  const emptyBed = testBed({ seeded: false })

  it('prints usage for --help and for no command', async () => {
    expect(await cli(['--help'], {})).toMatchObject({ code: 0, stdout: USAGE })
    expect(await cli([], {})).toMatchObject({ code: EXIT_CODES.usage, stdout: USAGE })
  })

  it.each([
    [['snapshot'], /unknown command 'snapshot' \(commands: backup, restore, verify, prune, list\)/],
    [['backup', '--tier', 'hourly'], /--tier must be one of daily, monthly, manual/],
    [['backup', '--dry-run'], /backup does not take --dry-run/],
    [['list', 'extra'], /unexpected argument 'extra'/],
    [['prune', '--daily', 'thirty'], /--daily must be a whole number, got 'thirty'/],
    [
      ['restore'],
      /say where to restore: --target-database <new name>, or --in-place --confirm <name>/,
    ],
    [['restore', '--target-database', 'a', '--confirm', 'a'], /--confirm goes with --in-place/],
    [['backup', '--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a usage error', async (argv, message) => {
    const run = await cli(argv, (await emptyBed).env)
    expect(run.code).toBe(EXIT_CODES.usage)
    expect(run.stderr).toMatch(message)
  })

  it('reports configuration problems before touching anything', async () => {
    const run = await cli(['list'], { BACKUP_S3_ENDPOINT: 'ftp://nope' })
    expect(run.code).toBe(EXIT_CODES.config)
    expect(run.stderr).toMatch(/BACKUP_S3_ENDPOINT: must be an http\(s\) URL/)
    const noDatabase = await testBed({ seeded: false })
    const { DATABASE_URL: _, ...env } = noDatabase.env
    const backup = await cli(['backup'], env)
    expect(backup.code).toBe(EXIT_CODES.config)
    expect(backup.stderr).toMatch(/no database configured: set DATABASE_URL or DATABASE_HOST/)
  })

  it('refuses key tables the database does not have, before dumping', async () => {
    const bed = await emptyBed
    const run = await cli(['backup'], bed.env, {
      schema: sqlMigrations(MIGRATIONS, ['tickets', 'invoices']),
    })
    expect(run.code).toBe(EXIT_CODES.usage)
    expect(run.stderr).toMatch(/key tables not found in the database: invoices/)
    expect((await cli(['list'], bed.env)).json()).toEqual([])
  })

  it('says when the database is unreachable', async () => {
    const bed = await testBed({ seeded: false })
    const run = await cli(['backup'], {
      ...bed.env,
      DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none',
    })
    expect(run.code).toBe(EXIT_CODES.unavailable)
    expect(run.stderr).toMatch(/cannot connect to Postgres database 'none' at 127\.0\.0\.1:1/)
  })

  it('logs JSON lines when not at a terminal, and shows progress and text at one', async () => {
    const bed = await testBed()
    const quiet = await cli(['backup'], { ...bed.env, LOG_LEVEL: 'info' })
    const lines = quiet.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.map((line) => line.msg)).toEqual([
      'backup started',
      'database stored',
      'no attachments bucket configured (S3_BUCKET): attachments not backed up',
      'backup complete',
    ])
    expect(lines[0]).toMatchObject({
      level: 30,
      component: 'helpdesk-backup',
      backup: expect.any(String),
    })

    const shown = await atTerminal(['backup'], { ...bed.env, LOG_LEVEL: 'info' })
    expect(shown.code).toBe(0)
    const frames = shown.stderr.split('\r\u001b[K')
    expect(frames).toContainEqual(
      expect.stringMatching(/^backup: [\d.]+ [KM]iB {2}[\d.]+ [KM]iB\/s {2}0:0\d\n$/),
    )
    expect(shown.stderr).toMatch(/backup started {2}backup=\S+ database=\S+/)
    expect(shown.stdout).toMatch(
      /^backup \S+ \(manual\) complete in 0:0\d: [\d.]+ [KM]iB dump stored as [\d.]+ [KM]iB under key 2026-01-01\n$/,
    )

    const list = await atTerminal(['list'], bed.env)
    expect(list.stdout).toMatch(
      /^ID +TIER +AGE +SIZE +KEY +STATUS\n\S+ +manual +0m +[\d.]+ KiB +2026-01-01 +good\n/,
    )
  })

  it('writes the one-line result the operator reads when BACKUP_RESULT_FILE is set', async () => {
    const bed = await testBed()
    const resultFile = path.join(serviceDir('result'), 'termination-log')
    const run = await cli(['backup', '--tier', 'daily', '--json'], {
      ...bed.env,
      BACKUP_RESULT_FILE: resultFile,
    })
    expect(run.code).toBe(0)
    const manifest = JSON.parse(run.stdout)
    const line = readFileSync(resultFile, 'utf8')
    expect(line.endsWith('\n')).toBe(true)
    expect(Buffer.byteLength(line)).toBeLessThan(4096)
    expect(JSON.parse(line)).toEqual({
      id: manifest.id,
      tier: 'daily',
      completedAt: manifest.completedAt,
      key: manifest.dump.key,
      sizeBytes: manifest.dump.ciphertextBytes,
      sha256: manifest.dump.ciphertextSha256,
      keyId: manifest.dump.keyId,
    })
  })

  it('runs as the standalone helpdesk-backup with SQL migrations', async () => {
    const bed = await testBed()
    const env = {
      ...process.env,
      ...bed.env,
      BACKUP_MIGRATIONS_DIR: MIGRATIONS,
      BACKUP_KEY_TABLES: 'tickets',
    }
    const run = promisify(execFile)
    const backup = await run(process.execPath, [BIN, 'backup', '--json'], { env })
    const manifest = JSON.parse(backup.stdout)
    expect(manifest.schemaVersion).toBe('002_ticket_watchers.sql')
    expect(
      manifest.tables
        .filter((table: { checksum?: string }) => table.checksum)
        .map((table: { name: string }) => table.name),
    ).toEqual(['tickets'])
    const list = await run(process.execPath, [BIN, 'list'], { env })
    expect(JSON.parse(list.stdout).map((backup: ListedBackup) => backup.id)).toEqual([manifest.id])
    const failed = await run(process.execPath, [BIN, 'restore'], { env }).catch(
      (error: { code: number }) => error,
    )
    expect(failed).toMatchObject({ code: EXIT_CODES.usage })
  })
})
