// The real product for a browser journey: the API process (the `helpdesk` CLI, migrated,
// then serving) on the harness's Postgres, Redis and MinIO, and the production web build
// served by nginx with web/nginx.conf proxying /api/ to it — the shape of the web pod in
// front of the API pods.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  freePort,
  logFile,
  type RedisServer,
  randomSecret,
  repoRoot,
  serviceDir,
  startNginx,
  startRedis,
  supervise,
  testServices,
  uniqueId,
  waitUntilReady,
} from '@helpdesk/harness'
import { buildWebApp } from '@helpdesk/web/build'
import { renderNginxConfig } from '@helpdesk/web/nginx'

const run = promisify(execFile)
const helpdeskCli = path.join(repoRoot, 'api', 'src', 'cli', 'helpdesk.ts')
/** Git-ignored: the API's log of each journey, kept for reading after a failure. */
const LOGS = path.join(repoRoot, 'e2e', '.artifacts', 'logs')

export interface Account {
  email: string
  password: string
}

/** A new person's credentials, unique to this run: `newAccount('carla')` → carla-…@example.com. */
export function newAccount(name: string): Account {
  const title = name.charAt(0).toUpperCase() + name.slice(1)
  return { email: `${name}-${uniqueId()}@example.com`, password: `${title}-${uniqueId(8)}` }
}

export interface Stack {
  /** Where the browser goes: nginx. */
  url: string
  /** The first admin, created from HELPDESK_BOOTSTRAP_ADMIN_*. */
  admin: Account
  /** Stops everything and keeps the API's log in e2e/.artifacts/logs/<name>-api.log. */
  stop(): Promise<void>
}

let built: Promise<string> | undefined

/** One production build per test process; nginx runs unprivileged, so it must be readable. */
function webBuild(): Promise<string> {
  built ??= (async () => {
    const dir = serviceDir('web-dist')
    chmodSync(dir, 0o755)
    return buildWebApp(dir)
  })()
  return built
}

async function apiEnvironment(
  name: string,
  apiPort: number,
  publicUrl: string,
  admin: Account,
  redis: RedisServer,
) {
  const s3 = testServices.s3()
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(apiPort),
    LOG_LEVEL: 'info',
    HELPDESK_PUBLIC_URL: publicUrl,
    HELPDESK_TRUST_PROXY: 'true',
    HELPDESK_DATA_DIR: serviceDir('api-data'),
    HELPDESK_APP_KEYS_DIR: appKeys(),
    HELPDESK_METRICS_PORT: String(await freePort()),
    DATABASE_URL: await testServices.postgres().createDatabase(name),
    REDIS_URL: redis.url,
    S3_BUCKET: await s3.createBucket(name),
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    // Small, so the journeys can show the size-limit message without huge uploads.
    HELPDESK_MAX_ATTACHMENT_BYTES: String(1024 * 1024),
    HELPDESK_BOOTSTRAP_ADMIN_EMAIL: admin.email,
    HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  }
}

/** The application keys, as the chart's Secret would mount them. */
function appKeys(): string {
  const dir = serviceDir('app-keys')
  writeFileSync(path.join(dir, '0-generated'), randomBytes(32).toString('base64'))
  return dir
}

export async function startStack(name: string): Promise<Stack> {
  // A Redis of its own: the API's rate-limit keys (per client IP, and every client here is
  // 127.0.0.1) must not add up across journeys.
  const [apiPort, webPort, dist, redis] = await Promise.all([
    freePort(),
    freePort(),
    webBuild(),
    startRedis(),
  ])
  const url = `http://127.0.0.1:${webPort}`
  const admin = { email: `admin-${uniqueId()}@example.com`, password: `Pw-${randomSecret()}` }
  const apiLog = logFile('helpdesk-api')
  const running: { stop(): Promise<void> }[] = [redis]
  const stop = async () => {
    await Promise.all(running.map((service) => service.stop()))
    if (existsSync(apiLog)) {
      mkdirSync(LOGS, { recursive: true })
      copyFileSync(apiLog, path.join(LOGS, `${name}-api.log`))
    }
  }
  try {
    const env = await apiEnvironment(name, apiPort, url, admin, redis)
    await run(process.execPath, ['--no-warnings', helpdeskCli, 'migrate'], { env }).catch(
      (error: Error & { stderr?: string }) => {
        throw new Error(`helpdesk migrate failed: ${error.stderr || error.message}`)
      },
    )
    const api = supervise({
      name: 'helpdesk api',
      command: process.execPath,
      args: ['--no-warnings', helpdeskCli, 'serve'],
      env,
      cwd: path.join(repoRoot, 'api'),
      log: apiLog,
    })
    running.push(api)
    await waitUntilReady(api, async () => (await fetch(`http://127.0.0.1:${apiPort}/readyz`)).ok)
    const apiUpstream = `http://127.0.0.1:${apiPort}`
    running.push(
      await startNginx(({ port }) => renderNginxConfig({ port, apiUpstream, webRoot: dist }), {
        port: webPort,
      }),
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { url, admin, stop }
}
