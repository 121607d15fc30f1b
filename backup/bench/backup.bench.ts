// Backup throughput and restore time (the RTO figure) on a generated database of more than
// 1 GB, beside what the layer underneath achieves in the same run: `pg_dump -Fc > /dev/null`
// for the backup, `pg_restore` of a local `pg_dump -Fc` file for the restore. Peak RSS
// shows that memory stays flat while gigabytes stream through.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createBucket, serviceDir, startMinio, startPostgres, toolPath } from '@helpdesk/harness'
import pg from 'pg'
import { median, reportRow } from '../../harness/src/bench/report.ts'
import { runBackupCommand } from '../src/cli.ts'
import type { Manifest } from '../src/manifest.ts'
import { sqlMigrations } from '../src/sql-schema.ts'

const RUNS = 2
const MB = 1_000_000

const schemaDir = serviceDir('bench-schema')
writeFileSync(
  path.join(schemaDir, '001_bench.sql'),
  `CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL, name text, created_at timestamptz NOT NULL);
   CREATE TABLE tickets (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers, subject text NOT NULL,
     status text NOT NULL, priority int, tags text[], created_at timestamptz NOT NULL, updated_at timestamptz);
   CREATE TABLE messages (id bigserial PRIMARY KEY, ticket_id bigint NOT NULL REFERENCES tickets, author text NOT NULL,
     body text NOT NULL, created_at timestamptz NOT NULL);
   CREATE INDEX tickets_customer ON tickets (customer_id);
   CREATE INDEX messages_ticket ON messages (ticket_id);`,
)
const schema = sqlMigrations(schemaDir, ['tickets'])

const postgres = await startPostgres({ durable: true })
const minio = await startMinio()

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(text)
  } finally {
    await client.end()
  }
}

/** Ticket-like rows: repeated phrases, numbers, hashes; about as compressible as real text. */
async function generate(url: string): Promise<number> {
  await schema.migrate(url)
  const phrase = `(ARRAY['My printer stopped working after the update', 'Please reset my password',
    'The invoice total looks wrong to me', 'Thanks, that fixed it!', 'Could you call me back tomorrow?',
    'I attached the screenshot you asked for', 'The export has been running for hours',
    'We are seeing timeouts from the EU region'])`
  await sql(
    url,
    `INSERT INTO customers (email, name, created_at)
    SELECT 'customer' || g || '@example.com', 'Customer ' || md5(g::text), now() - g * interval '1 minute'
      FROM generate_series(1, 100000) g`,
  )
  await sql(
    url,
    `INSERT INTO tickets (customer_id, subject, status, priority, tags, created_at, updated_at)
    SELECT 1 + g % 100000, ${phrase}[1 + g % 8] || ' #' || g, (ARRAY['open', 'pending', 'solved'])[1 + g % 3],
           g % 5, ARRAY['tag' || g % 13, 'tag' || g % 7], now() - g * interval '1 second', now()
      FROM generate_series(1, 1000000) g`,
  )
  await sql(
    url,
    `INSERT INTO messages (ticket_id, author, body, created_at)
    SELECT 1 + g % 1000000, 'agent' || g % 50 || '@helpdesk.example',
           'Hello, ' || ${phrase}[1 + g % 8] || '. Order ' || (g::bigint * 2654435761 % 1000000007) || ' ref ' ||
           md5(g::text) || '. ' || ${phrase}[1 + (g / 3) % 8] || ' ' || md5((g * 31)::text) || ' - ' ||
           repeat(${phrase}[1 + (g / 7) % 8] || ' ', 1 + g % 4) || ' Kind regards, ' || md5((g * 17)::text),
           now() - g * interval '100 milliseconds'
      FROM generate_series(1, 2600000) g`,
  )
  await sql(url, 'VACUUM ANALYZE')
  const { rows } = await sql(url, 'SELECT pg_database_size(current_database()) AS bytes')
  return Number(rows[0].bytes)
}

function libpqEnvironment(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url)
  return {
    ...process.env,
    PGHOST: parsed.hostname,
    PGPORT: parsed.port,
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  }
}

async function timeTool(
  tool: string,
  args: string[],
  url: string,
  stdoutFile = '/dev/null',
): Promise<number> {
  const out = openSync(stdoutFile, 'w')
  const started = performance.now()
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(toolPath(tool), args, {
        env: libpqEnvironment(url),
        stdio: ['ignore', out, 'inherit'],
      })
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}`)),
      )
    })
  } finally {
    closeSync(out)
  }
  return (performance.now() - started) / 1000
}

interface Measured<T> {
  result: T
  seconds: number
  /** MiB, before the work started and at its highest during it. */
  rssBefore: number
  peakRss: number
}

/** Runs `work` while sampling this process's RSS. */
async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const started = performance.now()
  try {
    const result = await work()
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      rssBefore: before / 1048576,
      peakRss: peak / 1048576,
    }
  } finally {
    clearInterval(sampler)
  }
}

async function engine(argv: string[], env: Record<string, string>): Promise<string> {
  let stdout = ''
  let stderr = ''
  const code = await runBackupCommand(argv, {
    env,
    schema,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  })
  if (code !== 0) throw new Error(`${argv.join(' ')} failed with ${code}: ${stderr}`)
  return stdout
}

try {
  const source = await postgres.createDatabase('bench')
  process.stderr.write('generating the database...\n')
  const databaseBytes = await generate(source)
  process.stderr.write(`database: ${(databaseBytes / MB).toFixed(0)} MB\n`)
  const keyring = serviceDir('bench-keyring')
  writeFileSync(path.join(keyring, '2026-11-28'), randomBytes(32).toString('base64'))
  const env = {
    BACKUP_S3_BUCKET: await createBucket(minio, 'bench'),
    BACKUP_S3_REGION: minio.region,
    BACKUP_S3_ENDPOINT: minio.endpoint,
    BACKUP_S3_FORCE_PATH_STYLE: 'true',
    BACKUP_S3_ACCESS_KEY_ID: minio.accessKeyId,
    BACKUP_S3_SECRET_ACCESS_KEY: minio.secretAccessKey,
    BACKUP_KEYRING_DIR: keyring,
    DATABASE_URL: source,
    LOG_LEVEL: 'error',
  }

  // Warm the page cache so that neither side pays for the first read from disk.
  await timeTool('pg_dump', ['-Fc'], source)
  const ceilingSeconds: number[] = []
  const backupSeconds: number[] = []
  const backupRss: Measured<string>[] = []
  let manifest: Manifest | undefined
  for (let run = 0; run < RUNS; run += 1) {
    ceilingSeconds.push(await timeTool('pg_dump', ['-Fc'], source))
    const backup = await measured(() => engine(['backup', '--json'], env))
    backupSeconds.push(backup.seconds)
    backupRss.push(backup)
    manifest = JSON.parse(backup.result) as Manifest
  }
  const throughput = (seconds: number[]) => databaseBytes / MB / median(seconds)
  reportRow({
    name: `backup: ${(databaseBytes / MB).toFixed(0)} MB database -> zstd -> AES-GCM -> S3`,
    figure: throughput(backupSeconds),
    unit: 'MB/s',
    ceilingName: 'pg_dump -Fc > /dev/null',
    ceiling: throughput(ceilingSeconds),
    target: '>= 70% of the ceiling',
  })
  const highest = backupRss.reduce((a, b) => (b.peakRss > a.peakRss ? b : a))
  reportRow({
    name: 'backup: peak RSS of the process while streaming',
    figure: highest.peakRss,
    unit: 'MiB',
    ceilingName: 'RSS before the backup',
    ceiling: highest.rssBefore,
    target: 'flat',
  })

  const dumpFile = path.join(serviceDir('bench-dump'), 'bench.dump')
  await timeTool('pg_dump', ['-Fc'], source, dumpFile)
  const plain = await postgres.createDatabase('plain')
  const restoreCeiling = await timeTool(
    'pg_restore',
    [
      '--exit-on-error',
      '--no-owner',
      '--no-acl',
      '--dbname',
      new URL(plain).pathname.slice(1),
      dumpFile,
    ],
    plain,
  )
  const restore = await measured(() =>
    engine(
      [
        'restore',
        '--backup',
        (manifest as Manifest).id,
        '--target-database',
        `restored_${Date.now()}`,
      ],
      env,
    ),
  )
  reportRow({
    name: 'restore (RTO): S3 -> decrypt -> zstd -> pg_restore, migrations, swap',
    figure: restore.seconds,
    unit: 's',
    ceilingName: 'pg_restore of a local pg_dump -Fc file',
    ceiling: restoreCeiling,
    target: 'RTO <= 4 h (seed)',
  })
  reportRow({
    name: 'restore: peak RSS of the process while streaming',
    figure: restore.peakRss,
    unit: 'MiB',
    ceilingName: 'RSS before the restore',
    ceiling: restore.rssBefore,
    target: 'flat',
  })
} finally {
  await Promise.allSettled([postgres.stop(), minio.stop()])
}
