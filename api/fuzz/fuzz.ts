// The standing fuzz tier (`make fuzz`): schemathesis against the real API on real Postgres,
// Redis and MinIO, as admin, agent, customer and anonymous side by side (each role on an API
// and database of its own), every check on, the stateful phase included. Any 5xx, schema violation or undocumented status fails the
// run. See api/README.md ("Fuzzing").
//
//   FUZZ_SEED=n        another seed (the default is fixed, so a failure is found again)
//   FUZZ_ROLES=a,b     only these roles
//   FUZZ_SECONDS=n     the time budget of each role
//   FUZZ_REPORTS=dir   keep schemathesis' NDJSON reports there
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import {
  cacheDir,
  type MinioServer,
  type PostgresServer,
  type RedisServer,
  serviceDir,
  startMinio,
  startPostgres,
  startRedis,
  toolVersions,
} from '@helpdesk/harness'
import type { Role } from '../src/accounts/roles.ts'
import { createApp, type HelpdeskApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { modules } from '../src/modules.ts'
import { composeModules } from '../src/platform/module.ts'
import type { RateLimitRule } from '../src/platform/rate-limits.ts'
import { createTestUser, signIn, type TestUser } from '../test/support/accounts.ts'
import { testAppKeysDir } from '../test/support/app.ts'
import { findings } from './findings.ts'

const here = import.meta.dirname
const ROLES = ['admin', 'agent', 'customer', 'anonymous'] as const
type FuzzRole = (typeof ROLES)[number]

const seed = Number(process.env.FUZZ_SEED ?? 20261206)
/**
 * The roles run side by side, each for this long: with the services' start (about 40 s on 2
 * cores) the tier stays under 6 minutes.
 */
const seconds = Number(process.env.FUZZ_SECONDS ?? 270)

async function main(): Promise<number> {
  const started = performance.now()
  const [postgres, redis, minio] = await Promise.all([startPostgres(), startRedis(), startMinio()])
  try {
    const results = await Promise.all(
      roles().map((role) => fuzzAlone(role, { postgres, redis, minio })),
    )
    report(results, performance.now() - started)
    return results.every((result) => result.exitCode === 0) ? 0 : 1
  } finally {
    await Promise.allSettled([postgres.stop(), redis.stop(), minio.stop()])
  }
}

interface Backends {
  postgres: PostgresServer
  redis: RedisServer
  minio: MinioServer
}

/**
 * One role's run against an API of its own (its own database, bucket and Redis keys). Side by
 * side on one API, the admin's fuzzing changed what the other roles' requests meant halfway
 * through their scenarios (it demotes, erases and resets users, the fuzzing agent's own among
 * them), so a check such as "what was just created can be read" failed now and then for no
 * fault of the API, and a failure could not be found again from the seed.
 */
async function fuzzAlone(role: FuzzRole, backends: Backends): Promise<RoleResult> {
  const app = await startApi(role, backends)
  const api = await listen(app.callback())
  const credentials = role === 'anonymous' ? undefined : await serveToken(app, api.url, role)
  try {
    return await fuzz(role, api.url, credentials?.url)
  } finally {
    credentials?.server.close()
    api.server.closeAllConnections()
    api.server.close()
    await app.close()
  }
}

async function startApi(role: FuzzRole, { postgres, redis, minio }: Backends) {
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    HELPDESK_DATA_DIR: serviceDir(`helpdesk-fuzz-${role}`),
    HELPDESK_APP_KEYS_DIR: testAppKeysDir(),
    DATABASE_URL: await postgres.createDatabase(`fuzz_${role}`),
    REDIS_URL: redis.url,
    S3_BUCKET: await minio.createBucket(`fuzz-${role}`),
    S3_ENDPOINT: minio.endpoint,
    S3_REGION: minio.region,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: minio.accessKeyId,
    AWS_SECRET_ACCESS_KEY: minio.secretAccessKey,
  })
  // No mail-channel polling: fuzzed channels name made-up hosts, which must never be looked up.
  return createApp(config, {
    migrate: true,
    background: false,
    rateLimits: liftedRateLimits(),
    redisKeyPrefix: `fuzz:${role}:`,
  })
}

/** The role's current bearer token, served to schemathesis' auth hook (fuzz/hooks.py). */
async function serveToken(app: HelpdeskApp, apiUrl: string, role: Role) {
  const principal = new Principal({ url: apiUrl, app }, role)
  return listen((_request, response) => {
    principal.token().then(
      (token) => response.end(JSON.stringify({ token })),
      (error: Error) => {
        // Schemathesis only says that the token fetch failed: the reason goes to the log.
        console.error(`fuzz: no token for ${role}: ${error.message}`)
        response.statusCode = 500
        response.end(error.message)
      },
    )
  })
}

/**
 * One address sends everything, the credentials server's sign-ins included: the per-address
 * limits (every request, failed sign-ins, sign-ups) would soon answer the fuzzer and the
 * credentials server 429 and the run would test nothing. The limits have their own tests.
 */
function liftedRateLimits(): Record<string, RateLimitRule> {
  const names = Object.keys(composeModules(modules).rateLimits)
  return Object.fromEntries(
    names.map((name) => [name, { points: 1_000_000, durationSeconds: 60, whenStoreDown: 'local' }]),
  )
}

function roles(): FuzzRole[] {
  const asked = process.env.FUZZ_ROLES?.split(',').map((role) => role.trim())
  return asked ? ROLES.filter((role) => asked.includes(role)) : [...ROLES]
}

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/**
 * The role's user and bearer token (staff with TOTP enrolled, as they must be). Fuzzing may
 * revoke the token (sign out everywhere, a new password, an erasure, an MFA reset): `token()`
 * checks the current one and makes a new user and token when it no longer works.
 */
class Principal {
  readonly #api: { url: string; app: HelpdeskApp }
  readonly #role: Role
  #token: string | undefined

  constructor(api: { url: string; app: HelpdeskApp }, role: Role) {
    this.#api = api
    this.#role = role
  }

  async token(): Promise<string> {
    if (this.#token && (await this.#works(this.#token))) return this.#token
    const user = await createTestUser(this.#api, {
      role: this.#role,
      mfa: this.#role !== 'customer',
    })
    this.#token = await this.#mint(user)
    return this.#token
  }

  async #works(token: string): Promise<boolean> {
    const answer = await fetch(`${this.#api.url}/api/v1/auth/me`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    if (answer.status !== 200) return false
    const { user } = (await answer.json()) as { user: { role: string; mfaEnabled: boolean } }
    return user.role === this.#role && (this.#role === 'customer' || user.mfaEnabled)
  }

  async #mint(user: TestUser): Promise<string> {
    const session = await signIn(this.#api, user)
    const created = await session.post('/auth/tokens', { name: 'fuzz' })
    if (created.status !== 201) throw new Error(`token: ${JSON.stringify(created.body)}`)
    return (created.body as { token: string }).token
  }
}

interface RoleResult {
  role: FuzzRole
  exitCode: number
  requests: number
  seconds: number
  output: string
}

async function fuzz(role: FuzzRole, url: string, credentials: string | undefined) {
  const reportDir = process.env.FUZZ_REPORTS
    ? path.join(process.env.FUZZ_REPORTS, role)
    : serviceDir(`fuzz-report-${role}`)
  mkdirSync(reportDir, { recursive: true })
  const started = performance.now()
  const venv = path.join(
    cacheDir(),
    'python',
    `schemathesis-${toolVersions().SCHEMATHESIS_VERSION}`,
  )
  // Schemathesis keeps files in its working directory: the report's, not the repository.
  const { exitCode, output } = await run(
    path.join(venv, 'bin', 'st'),
    [
      ...['--config-file', path.join(here, 'schemathesis.toml'), 'run'],
      `${url}/api/v1/openapi.json`,
      ...['--checks', 'all', '--phases', 'examples,coverage,fuzzing,stateful'],
      ...['--seed', String(seed), '--max-time', String(seconds)],
      // The event stream never ends by itself (schemathesis would wait out its timeout on
      // every call): test/live/events.test.ts and the authorization matrix cover it.
      ...['--exclude-operation-id', 'streamEvents'],
      ...['--report', 'ndjson', '--report-dir', reportDir, '--no-color'],
    ],
    {
      ...process.env,
      PYTHONPATH: here,
      SCHEMATHESIS_HOOKS: 'hooks',
      ...(credentials ? { HELPDESK_FUZZ_CREDENTIALS: credentials } : {}),
    },
    reportDir,
  )
  return {
    role,
    exitCode,
    output,
    requests: countRequests(reportDir),
    seconds: (performance.now() - started) / 1000,
  }
}

/** Requests sent: the interactions every finished scenario recorded. */
function countRequests(reportDir: string): number {
  let count = 0
  for (const file of readdirSync(reportDir).filter((name) => name.endsWith('.ndjson'))) {
    for (const line of readFileSync(path.join(reportDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{"ScenarioFinished"')) continue
      const event = JSON.parse(line) as {
        ScenarioFinished: { recorder?: { interactions?: Record<string, unknown> } }
      }
      count += Object.keys(event.ScenarioFinished.recorder?.interactions ?? {}).length
    }
  }
  return count
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ exitCode: number; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk
      })
    }
    child.on('error', reject)
    child.on('close', (code) => resolve({ exitCode: code ?? 1, output }))
  })
}

function report(results: RoleResult[], totalMs: number): void {
  for (const result of results) {
    const lines = result.output.split('\n').filter((line) => line.trim() !== '')
    process.stdout.write(`${lines.map((line) => `[${result.role}] ${line}`).join('\n')}\n\n`)
  }
  process.stdout.write('Fuzz tier (schemathesis, all checks, stateful phase on)\n')
  for (const result of results) {
    process.stdout.write(
      `  ${result.role.padEnd(9)} ${String(result.requests).padStart(6)} requests ${result.seconds.toFixed(0).padStart(4)} s  ${result.exitCode === 0 ? 'passed' : 'FAILED'}\n`,
    )
  }
  const total = results.reduce((sum, result) => sum + result.requests, 0)
  process.stdout.write(
    `  total     ${String(total).padStart(6)} requests ${(totalMs / 1000).toFixed(0).padStart(4)} s  seed ${seed}\n`,
  )
  // Last, so that a CI log which keeps only its tail still says what failed.
  for (const result of results.filter((each) => each.exitCode !== 0)) {
    for (const line of findings(result.output)) process.stdout.write(`  ${result.role}: ${line}\n`)
  }
}

process.exitCode = await main()
