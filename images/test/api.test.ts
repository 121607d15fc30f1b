// The API image against real Postgres, Redis and S3: migrations, readiness, the Postgres
// client tools that backups run, the user it runs as, and a clean stop on SIGTERM.

import { freePort, testServices } from '@helpdesk/harness'
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { apiKeysAndMetrics } from './support/app-keys.ts'
import {
  type Container,
  removeAbandonedContainers,
  requireImage,
  runToCompletion,
  startContainer,
  waitForStatus,
} from './support/podman.ts'

let image: string
let running: Container | undefined

beforeAll(async () => {
  image = await requireImage('api')
  await removeAbandonedContainers()
})

afterEach(async () => {
  await running?.remove()
  running = undefined
})

/** Production-shaped configuration: every dependency external, nothing on local disk. */
async function productionEnvironment(port: number): Promise<Record<string, string>> {
  const s3 = testServices.s3()
  return {
    PORT: String(port),
    DATABASE_URL: await testServices.postgres().createDatabase('image'),
    REDIS_URL: testServices.redis().url,
    S3_BUCKET: await s3.createBucket('image'),
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }
}

describe('the API image', () => {
  it('has pg_dump, pg_restore and psql from Postgres 15 on PATH', async () => {
    for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
      const { exitCode, output } = await runToCompletion(image, {
        entrypoint: tool,
        args: ['--version'],
      })
      expect({ tool, exitCode }).toEqual({ tool, exitCode: 0 })
      expect(output).toMatch(new RegExp(`^${tool} \\(PostgreSQL\\) 15\\.\\d+`))
    }
  })

  it('dumps a migrated database with pg_dump and reads the dump back with pg_restore', async () => {
    const env = await productionEnvironment(await freePort())
    expect(await runToCompletion(image, { env, args: ['migrate'] })).toMatchObject({ exitCode: 0 })
    const { exitCode, output } = await runToCompletion(image, {
      env,
      entrypoint: 'sh',
      args: [
        '-c',
        'pg_dump --format=custom --dbname="$DATABASE_URL" --file=/tmp/db.dump && pg_restore --list /tmp/db.dump',
      ],
    })
    expect({ exitCode, output }).toMatchObject({ exitCode: 0 })
    // The migrated schema is in the dump, whatever its tables are called.
    expect(output).toMatch(/^\d+; \d+ \d+ TABLE public \S+ /m)
  })

  it('migrates, becomes ready against Postgres, Redis and S3 as UID 10001, and exits 0 on SIGTERM', async () => {
    const port = await freePort()
    const env = await productionEnvironment(port)
    const migrate = await runToCompletion(image, { env, args: ['migrate'] })
    expect(migrate).toMatchObject({ exitCode: 0 })
    expect(JSON.parse(migrate.output.trim().split('\n').at(-1) ?? '')).toMatchObject({
      current: true,
    })

    const keys = await apiKeysAndMetrics()
    running = await startContainer(image, { env: { ...env, ...keys.env }, volumes: keys.volumes })
    await waitForStatus(running, `http://127.0.0.1:${port}/readyz`, 200)
    expect(new Set(await running.processUids())).toEqual(new Set([10001]))

    await running.signal('SIGTERM')
    expect(await running.exitCode(30_000)).toBe(0)
  })

  it('runs embedded (PGlite, local attachments) with its data under /tmp, for a quick evaluation', async () => {
    const port = await freePort()
    running = await startContainer(image, {
      env: {
        PORT: String(port),
        HELPDESK_METRICS_PORT: String(await freePort()),
        HELPDESK_DATA_DIR: '/tmp/helpdesk',
      },
    })
    await waitForStatus(running, `http://127.0.0.1:${port}/readyz`, 200)
    await running.signal('SIGTERM')
    expect(await running.exitCode(30_000)).toBe(0)
  })

  it('refuses to start with invalid configuration, naming the problem', async () => {
    const { exitCode, output } = await runToCompletion(image, {
      env: { PORT: 'eighty', DATABASE_URL: 'not a url' },
    })
    expect(exitCode).not.toBe(0)
    expect(output).toMatch(/PORT/)
    expect(output).toMatch(/DATABASE_URL/)
  })
})
