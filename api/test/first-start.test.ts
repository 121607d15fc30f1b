// A first install starts everything at once: the API pods, the migrations Job and the bucket
// Job come up before Postgres and MinIO answer, and the API before the migrations have run.
// All of them wait, say what they wait for in one line, and carry on once they can — no exit,
// no restart, no stack trace.
import { spawn } from 'node:child_process'
import { HeadBucketCommand } from '@aws-sdk/client-s3'
import {
  createDatabase,
  freePort,
  type PostgresServer,
  randomSecret,
  s3Client,
  startMinio,
  startPostgres,
  uniqueId,
} from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { testAppKeysDir } from './support/app.ts'
import { HELPDESK_CLI, runHelpdesk } from './support/process.ts'

let postgres: PostgresServer
let databaseUrl: string

beforeAll(async () => {
  postgres = await startPostgres()
  databaseUrl = await createDatabase(postgres, 'first_start')
})

afterAll(async () => {
  await postgres?.stop()
})

/** A process whose output is kept, and whose exit can be awaited. */
function start(args: string[], environment: Record<string, string>) {
  const child = spawn(process.execPath, [HELPDESK_CLI, ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  child.stderr.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

type Started = ReturnType<typeof start>

/** Polls `check` until it gives a value; fails with the output if `command` exits first. */
async function until<T>(command: Started, check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    if (command.child.exitCode !== null) {
      throw new Error(`exited with ${command.child.exitCode}:\n${command.output()}`)
    }
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch {
      // Not yet (the port may not be open).
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function readiness(url: string): Promise<{ status: number; detail?: string }> {
  const response = await fetch(`${url}/readyz`)
  const body = (await response.json()) as { detail?: string }
  return { status: response.status, detail: body.detail }
}

describe('a first start before the database is there', () => {
  it('`helpdesk migrate` waits for the database, says so once, then applies everything', async () => {
    await postgres.down()
    const migrate = start(['migrate'], { DATABASE_URL: databaseUrl })
    await until(migrate, async () => (migrate.output().includes('waiting') ? true : undefined))
    await postgres.up()
    expect(await migrate.exited).toBe(0)
    expect(migrate.output().match(/helpdesk migrate: waiting, unreachable/g)).toHaveLength(1)
    expect(migrate.output()).not.toMatch(/\n\s+at /)
    expect(migrate.output()).toMatch(/"current":true/)
  })

  it('`helpdesk serve` answers probes at once, turns ready once migrated, and creates the first admin', async () => {
    const database = await createDatabase(postgres, 'first_serve')
    await postgres.down()
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const admin = { email: 'first@example.com', password: randomSecret() }
    const serve = start(['serve'], {
      DATABASE_URL: database,
      PORT: String(port),
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: admin.email,
      HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
      HELPDESK_METRICS_PORT: String(await freePort()),
    })
    try {
      await until(serve, async () => ((await fetch(`${url}/livez`)).ok ? true : undefined))
      expect(await readiness(url)).toMatchObject({
        status: 503,
        detail: expect.stringMatching(/^database unavailable/),
      })

      await postgres.up()
      await until(serve, async () => {
        const { detail } = await readiness(url)
        return detail?.includes('schema not current') ? true : undefined
      })
      expect((await readiness(url)).detail).toMatch(/; starting$/)

      expect((await runHelpdesk(['migrate'], { DATABASE_URL: database })).code).toBe(0)
      await until(serve, async () => ((await readiness(url)).status === 200 ? true : undefined))
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(admin),
      })
      expect(login.status).toBe(200)
      expect(serve.child.exitCode).toBeNull()
      expect(serve.output()).toMatch(/First admin created: first@example.com/)
      expect(serve.output()).toMatch(/listening on port/)
      expect(serve.output()).not.toMatch(/\n\s+at /)
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
  })

  it('`helpdesk create-bucket` waits for the S3 endpoint, creates the bucket once, then finds it', async () => {
    const minio = await startMinio()
    try {
      const bucket = `attachments-${uniqueId()}`
      const environment = {
        S3_BUCKET: bucket,
        S3_REGION: minio.region,
        S3_ENDPOINT: minio.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: minio.accessKeyId,
        AWS_SECRET_ACCESS_KEY: minio.secretAccessKey,
      }
      await minio.down()
      const create = start(['create-bucket'], environment)
      await until(create, async () => (create.output().includes('waiting') ? true : undefined))
      await minio.up()
      expect(await create.exited).toBe(0)
      expect(create.output()).toMatch(`bucket ${bucket} created`)
      expect(create.output()).not.toMatch(/\n\s+at /)
      await s3Client(minio).send(new HeadBucketCommand({ Bucket: bucket }))
      const again = await runHelpdesk(['create-bucket'], environment)
      expect(again).toMatchObject({ code: 0, stdout: `bucket ${bucket} already there\n` })
    } finally {
      await minio.stop()
    }
  })
})
