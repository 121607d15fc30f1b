// Runs the real app over real HTTP on a free port, against the harness's Postgres, Redis
// and MinIO (or private instances a test passes in), with its log lines captured. Embedded
// apps start from a migrated copy (embedded.ts).
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import path from 'node:path'
import { Writable } from 'node:stream'
import { serviceDir, testServices } from '@helpdesk/harness'
import { type AppOptions, createApp, type HelpdeskApp } from '../../src/app.ts'
import { type Environment, loadConfig } from '../../src/config.ts'
import { migrateDatabase } from '../../src/db/database.ts'
import { migratedDataDir } from './embedded.ts'

export interface TestApp {
  url: string
  /** The metrics port: /metrics and the detailed /healthz. */
  metricsUrl: string
  app: HelpdeskApp
  /** Every JSON log line written so far. */
  logs: Record<string, unknown>[]
  close(): Promise<void>
}

/**
 * Production shape (harness Postgres and Redis) or embedded mode (no settings: PGlite in
 * this process, sessions and rate limits in memory, attachments in the data dir).
 */
export const MODES = ['external', 'embedded'] as const

export async function environmentFor(mode: (typeof MODES)[number]): Promise<Environment> {
  return mode === 'external' ? externalEnvironment() : {}
}

export async function externalEnvironment(): Promise<Environment> {
  return {
    DATABASE_URL: await testServices.postgres().createDatabase('api'),
    REDIS_URL: testServices.redis().url,
    HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
  }
}

/** externalEnvironment() with the schema in place, as `helpdesk serve` expects (the migrations Job's work). */
export async function migratedEnvironment(): Promise<Environment> {
  const environment = await externalEnvironment()
  await migrateDatabase(environment.DATABASE_URL as string)
  return environment
}

let appKeys: string | undefined

/** An application keyring with one key, as the chart's Secret would mount it. */
export function testAppKeysDir(): string {
  if (!appKeys) {
    appKeys = serviceDir('app-keys')
    writeFileSync(path.join(appKeys, '2026-12-06'), randomBytes(32).toString('base64'))
  }
  return appKeys
}

export async function startTestApp(
  environment: Environment,
  options: AppOptions = {},
): Promise<TestApp> {
  const logs: Record<string, unknown>[] = []
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>)
      }
      callback()
    },
  })
  const external = Object.keys(environment).some((name) => name.startsWith('DATABASE_'))
  const config = loadConfig({
    LOG_LEVEL: 'info',
    HELPDESK_DATA_DIR:
      environment.HELPDESK_DATA_DIR ??
      (external ? serviceDir('helpdesk-api-test') : await migratedDataDir()),
    ...(external ? { HELPDESK_APP_KEYS_DIR: testAppKeysDir() } : {}),
    ...environment,
  })
  const app = await createApp(config, {
    migrate: true,
    redisKeyPrefix: testServices.redis().keyPrefix('api'),
    logDestination,
    ...options,
  })
  const server = await listen(app.callback())
  const metricsServer = await listen(app.metricsCallback())
  return {
    url: urlOf(server),
    metricsUrl: urlOf(metricsServer),
    app,
    logs,
    async close() {
      for (const each of [server, metricsServer]) {
        each.closeAllConnections()
        await new Promise((resolve) => each.close(resolve))
      }
      await app.close()
    },
  }
}

async function listen(callback: RequestListener): Promise<Server> {
  const server = createServer(callback)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

function urlOf(server: Server): string {
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('not listening')
  return `http://127.0.0.1:${address.port}`
}
