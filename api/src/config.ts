// Configuration comes only from the environment (CONTRIBUTING.md, "API process"), validated
// as a whole at start-up so an operator sees every problem at once, not one per restart.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

export type Environment = Record<string, string | undefined>

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export type DatabaseConfig =
  | { kind: 'external'; url: string; ssl?: DatabaseTls; poolMax: number }
  | { kind: 'embedded'; dataDir: string; poolMax: number }

export interface DatabaseTls {
  /** verify-ca checks the chain only; verify-full also the host name. */
  verify: 'none' | 'chain' | 'full'
  ca?: string
}

export interface RedisConfig {
  url: string
  tls?: { ca?: string }
}

export interface S3Config {
  bucket: string
  region: string
  endpoint?: string
  forcePathStyle: boolean
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** Where the application keys are (encryption/app-keys.ts). */
export interface AppKeysConfig {
  dir: string
  /** Embedded mode: make the first key when the directory holds none. */
  generate: boolean
}

export interface Config {
  port: number
  /** Where /metrics and the detailed /healthz are served: never the public port. */
  metrics: { port: number; host: string }
  logLevel: LogLevel
  publicUrl: string
  corsOrigins: string[]
  cspConnectSrc: string[]
  trustProxy: boolean
  shutdownGraceMs: number
  database: DatabaseConfig
  /** null: sessions and rate limits live in this process's memory (embedded mode). */
  redis: RedisConfig | null
  /** null: attachments go to `<dataDir>/attachments`. */
  s3: S3Config | null
  dataDir: string
  webDir?: string
  maxAttachmentBytes: number
  /** Bytes of live attachments one person may have uploaded, and one ticket may hold. */
  attachmentQuota: { perUserBytes: number; perTicketBytes: number }
  /** null: none configured, and an external database needs them (the API refuses to start). */
  appKeys: AppKeysConfig | null
  bootstrapAdmin?: { email: string; password?: string }
  version: string
}

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

const optional = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === '' ? undefined : value))
  .optional()

const boolean = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return fallback
      if (['true', '1', 'yes'].includes(value)) return true
      if (['false', '0', 'no'].includes(value)) return false
      context.addIssue({ code: 'custom', message: 'must be true or false' })
      return z.NEVER
    })

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return fallback
      const parsed = Number(value)
      if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
        context.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` })
        return z.NEVER
      }
      return parsed
    })

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

/** An origin exactly as browsers send it: scheme, host and port, nothing else. */
const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value && /^https?:/.test(value)
  } catch {
    return false
  }
}, 'must be an origin such as https://app.example.com (scheme, host, optional port; no path)')

/** CSP sources we accept from configuration: origins or schemes, never keywords or separators. */
const connectSource = z
  .string()
  .regex(
    /^(?:(?:https?|wss?):\/\/[A-Za-z0-9.*-]+(?::\d+)?(?:\/[^\s;,']*)?|(?:https?|wss?):)$/,
    'must be an http(s)/ws(s) origin or scheme source such as https://api.example.com or wss:',
  )

const list = (separator: RegExp, item: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(separator).filter((entry) => entry.trim() !== ''))
    .pipe(z.array(z.string().trim().pipe(item)))

const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .optional()
  .transform((value) => value ?? 'info')

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const
type SslMode = (typeof SSL_MODES)[number]

const environmentSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HELPDESK_METRICS_PORT: integer(9464, 0, 65535),
  HELPDESK_METRICS_HOST: optional,
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(logLevel),
  HELPDESK_PUBLIC_URL: optional
    .transform((value) => value ?? 'http://localhost:8080')
    .pipe(httpUrl)
    .transform((value) => value.replace(/\/+$/, '')),
  HELPDESK_CORS_ORIGINS: list(/,/, origin),
  HELPDESK_CSP_CONNECT_SRC: list(/\s+/, connectSource),
  HELPDESK_TRUST_PROXY: boolean(false),
  HELPDESK_SHUTDOWN_GRACE_MS: integer(20_000, 0, 600_000),
  DATABASE_URL: optional.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  DATABASE_HOST: optional,
  DATABASE_PORT: integer(5432, 1, 65535),
  DATABASE_NAME: optional,
  DATABASE_USER: optional,
  DATABASE_PASSWORD: optional,
  DATABASE_SSL_MODE: optional.pipe(z.enum(SSL_MODES).optional()),
  DATABASE_SSL_ROOT_CERT: optional,
  DATABASE_POOL_MAX: integer(10, 1, 500),
  REDIS_URL: optional.pipe(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  REDIS_HOST: optional,
  REDIS_PORT: integer(6379, 1, 65535),
  REDIS_USERNAME: optional,
  REDIS_PASSWORD: optional,
  REDIS_TLS: boolean(false),
  REDIS_TLS_CA_FILE: optional,
  S3_BUCKET: optional,
  S3_REGION: optional,
  S3_ENDPOINT: optional.pipe(httpUrl.optional()),
  S3_FORCE_PATH_STYLE: boolean(false),
  AWS_ACCESS_KEY_ID: optional,
  AWS_SECRET_ACCESS_KEY: optional,
  HELPDESK_DATA_DIR: optional,
  HELPDESK_WEB_DIR: optional,
  HELPDESK_MAX_ATTACHMENT_BYTES: integer(26_214_400, 1, 5 * 1024 ** 3),
  HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES: integer(1024 ** 3, 1, 1024 ** 4),
  HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES: integer(256 * 1024 ** 2, 1, 1024 ** 4),
  HELPDESK_APP_KEYS_DIR: optional,
  HELPDESK_BOOTSTRAP_ADMIN_EMAIL: optional.pipe(z.email('must be an email address').optional()),
  HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: optional.pipe(
    z.string().min(12, 'must be at least 12 characters').optional(),
  ),
})

type Parsed = z.infer<typeof environmentSchema>

/** Parses the environment into a Config, or throws a ConfigError listing every problem. */
export function loadConfig(environment: Environment = process.env, cwd = process.cwd()): Config {
  const problems: string[] = []
  const env = parseEachVariable(environment, problems)
  const dataDir = path.resolve(cwd, env.HELPDESK_DATA_DIR ?? 'data')
  const database = databaseConfig(env, dataDir, problems)
  const config: Config = {
    port: env.PORT,
    metrics: {
      port: env.HELPDESK_METRICS_PORT,
      // A laptop's metrics stay on the laptop; a pod's are scraped over the pod network.
      host: env.HELPDESK_METRICS_HOST ?? (database.kind === 'embedded' ? '127.0.0.1' : '0.0.0.0'),
    },
    logLevel: env.LOG_LEVEL,
    publicUrl: env.HELPDESK_PUBLIC_URL,
    corsOrigins: env.HELPDESK_CORS_ORIGINS,
    cspConnectSrc: env.HELPDESK_CSP_CONNECT_SRC,
    trustProxy: env.HELPDESK_TRUST_PROXY,
    shutdownGraceMs: env.HELPDESK_SHUTDOWN_GRACE_MS,
    database,
    redis: redisConfig(env, problems),
    s3: s3Config(env, problems),
    dataDir,
    maxAttachmentBytes: env.HELPDESK_MAX_ATTACHMENT_BYTES,
    attachmentQuota: {
      perUserBytes: env.HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES,
      perTicketBytes: env.HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES,
    },
    appKeys: appKeysConfig(env, database, dataDir, cwd),
    version,
  }
  if (env.HELPDESK_WEB_DIR) {
    config.webDir = path.resolve(cwd, env.HELPDESK_WEB_DIR)
    if (!existsSync(path.join(config.webDir, 'index.html'))) {
      problems.push(`HELPDESK_WEB_DIR: ${config.webDir} has no index.html`)
    }
  }
  if (env.HELPDESK_BOOTSTRAP_ADMIN_EMAIL) {
    config.bootstrapAdmin = {
      email: env.HELPDESK_BOOTSTRAP_ADMIN_EMAIL,
      ...(env.HELPDESK_BOOTSTRAP_ADMIN_PASSWORD
        ? { password: env.HELPDESK_BOOTSTRAP_ADMIN_PASSWORD }
        : {}),
    }
  } else if (env.HELPDESK_BOOTSTRAP_ADMIN_PASSWORD) {
    problems.push('HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: set HELPDESK_BOOTSTRAP_ADMIN_EMAIL too')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/**
 * Each variable on its own, so that one bad value still lets the checks across variables
 * run: the operator gets the whole list in one go. A bad variable counts as unset below.
 */
function parseEachVariable(environment: Environment, problems: string[]): Parsed {
  const parsed: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(environmentSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(environment[name])
    if (result.success) {
      parsed[name] = result.data
    } else {
      for (const issue of result.error.issues) {
        problems.push(`${[name, ...issue.path].join('.')}: ${issue.message}`)
      }
    }
  }
  return parsed as Parsed
}

function databaseConfig(env: Parsed, dataDir: string, problems: string[]): DatabaseConfig {
  const poolMax = env.DATABASE_POOL_MAX
  const discrete = env.DATABASE_HOST ?? env.DATABASE_NAME ?? env.DATABASE_USER
  if (env.DATABASE_URL && discrete) {
    problems.push('DATABASE_URL: set either DATABASE_URL or the DATABASE_HOST/NAME/USER variables')
  }
  const ssl = databaseTls(env, problems)
  if (env.DATABASE_URL) {
    return { kind: 'external', url: env.DATABASE_URL, poolMax, ...(ssl ? { ssl } : {}) }
  }
  if (!discrete) return { kind: 'embedded', dataDir: path.join(dataDir, 'postgres'), poolMax }
  for (const name of ['DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_USER'] as const) {
    if (!env[name])
      problems.push(`${name}: required when the discrete DATABASE_* variables are used`)
  }
  const credentials = `${encodeURIComponent(env.DATABASE_USER ?? '')}${
    env.DATABASE_PASSWORD ? `:${encodeURIComponent(env.DATABASE_PASSWORD)}` : ''
  }`
  const url = `postgres://${credentials}@${env.DATABASE_HOST}:${env.DATABASE_PORT}/${encodeURIComponent(env.DATABASE_NAME ?? '')}`
  return { kind: 'external', url, poolMax, ...(ssl ? { ssl } : {}) }
}

/** DATABASE_SSL_MODE, else libpq's `sslmode` in DATABASE_URL (pg ignores it there). */
function sslMode(env: Parsed, problems: string[]): SslMode | undefined {
  if (env.DATABASE_SSL_MODE) return env.DATABASE_SSL_MODE
  const fromUrl = env.DATABASE_URL && new URL(env.DATABASE_URL).searchParams.get('sslmode')
  if (!fromUrl) return undefined
  if ((SSL_MODES as readonly string[]).includes(fromUrl)) return fromUrl as SslMode
  problems.push(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}`)
  return undefined
}

function databaseTls(env: Parsed, problems: string[]): DatabaseTls | undefined {
  const mode = sslMode(env, problems)
  const ca =
    env.DATABASE_SSL_ROOT_CERT &&
    readable('DATABASE_SSL_ROOT_CERT', env.DATABASE_SSL_ROOT_CERT, problems)
  if (ca && (mode === undefined || mode === 'disable')) {
    problems.push('DATABASE_SSL_ROOT_CERT: needs DATABASE_SSL_MODE verify-ca or verify-full')
  }
  if (mode === undefined || mode === 'disable') return undefined
  const verify = mode === 'require' ? 'none' : mode === 'verify-ca' ? 'chain' : 'full'
  return { verify, ...(ca ? { ca } : {}) }
}

function appKeysConfig(
  env: Parsed,
  database: DatabaseConfig,
  dataDir: string,
  cwd: string,
): AppKeysConfig | null {
  if (env.HELPDESK_APP_KEYS_DIR) {
    return { dir: path.resolve(cwd, env.HELPDESK_APP_KEYS_DIR), generate: false }
  }
  // A key made up by one pod would lock every other pod out of the secrets it seals.
  if (database.kind === 'external') return null
  return { dir: path.join(dataDir, 'app-keys'), generate: true }
}

function redisConfig(env: Parsed, problems: string[]): RedisConfig | null {
  if (env.REDIS_URL && env.REDIS_HOST) {
    problems.push('REDIS_URL: set either REDIS_URL or REDIS_HOST (with REDIS_PORT, REDIS_PASSWORD)')
  }
  const ca = env.REDIS_TLS_CA_FILE && readable('REDIS_TLS_CA_FILE', env.REDIS_TLS_CA_FILE, problems)
  let url = env.REDIS_URL
  if (!url && env.REDIS_HOST) {
    const scheme = env.REDIS_TLS ? 'rediss' : 'redis'
    // An ACL user (Redis 6+) goes before the colon; without one, the default user.
    const user = env.REDIS_USERNAME ? encodeURIComponent(env.REDIS_USERNAME) : ''
    const password = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}` : ''
    const auth = user || password ? `${user}${password}@` : ''
    url = `${scheme}://${auth}${env.REDIS_HOST}:${env.REDIS_PORT}`
  }
  if (!url) {
    if (env.REDIS_USERNAME || env.REDIS_PASSWORD || env.REDIS_TLS || ca) {
      problems.push(
        'REDIS_HOST: required when REDIS_USERNAME, REDIS_PASSWORD or REDIS_TLS* are set',
      )
    }
    return null
  }
  const tls = url.startsWith('rediss:') || env.REDIS_TLS
  if (tls && !url.startsWith('rediss:')) url = url.replace(/^redis:/, 'rediss:')
  return { url, ...(tls ? { tls: ca ? { ca } : {} } : {}) }
}

function s3Config(env: Parsed, problems: string[]): S3Config | null {
  const anyS3 = env.S3_BUCKET ?? env.S3_REGION ?? env.S3_ENDPOINT
  if (!anyS3) return null
  if (!env.S3_BUCKET) {
    problems.push('S3_BUCKET: required when S3_REGION or S3_ENDPOINT is set')
    return null
  }
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
    problems.push(
      'AWS_SECRET_ACCESS_KEY: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
    )
  }
  return {
    bucket: env.S3_BUCKET,
    region: env.S3_REGION ?? 'us-east-1',
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          },
        }
      : {}),
  }
}

function readable(name: string, file: string, problems: string[]): string | undefined {
  try {
    accessSync(file, constants.R_OK)
    return readFileSync(file, 'utf8')
  } catch {
    problems.push(`${name}: cannot read ${file}`)
    return undefined
  }
}
