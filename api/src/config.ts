// Configuration comes only from the environment (docs/configuration.md), validated as a whole
// at start-up so an operator sees every problem at once, not one per restart. The connection
// variables (DATABASE_*, REDIS_*, S3_*) are @helpdesk/config's: the backup engine and the
// charts share them.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  type DatabaseSettings,
  type Environment,
  flag,
  integer,
  type Problems,
  parseDatabase,
  parseRedis,
  parseS3,
  type RedisSettings,
  readVariables,
  S3_VARIABLES,
  type S3Settings,
  text,
} from '@helpdesk/config'
import { z } from 'zod'

export type { Environment } from '@helpdesk/config'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** json: one JSON object a line (for collectors); pretty: lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty'

export type DatabaseConfig =
  | { kind: 'external'; connection: DatabaseSettings; poolMax: number }
  | { kind: 'embedded'; dataDir: string; poolMax: number }

export type RedisConfig = RedisSettings
export type S3Config = S3Settings

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
  /** @default pretty on a terminal, json otherwise */
  logFormat: LogFormat
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

const lowerCase = text.transform((value) => value?.toLowerCase())

const variables = {
  PORT: integer(8080, 0, 65535),
  HELPDESK_METRICS_PORT: integer(9464, 0, 65535),
  HELPDESK_METRICS_HOST: text,
  LOG_LEVEL: lowerCase.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .optional()
      .transform((value) => value ?? 'info'),
  ),
  LOG_FORMAT: lowerCase.pipe(
    z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
  ),
  HELPDESK_PUBLIC_URL: text.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  ),
  HELPDESK_CORS_ORIGINS: list(/,/, origin),
  HELPDESK_CSP_CONNECT_SRC: list(/\s+/, connectSource),
  HELPDESK_TRUST_PROXY: flag(false),
  HELPDESK_SHUTDOWN_GRACE_MS: integer(20_000, 0, 600_000),
  DATABASE_POOL_MAX: integer(10, 1, 500),
  HELPDESK_DATA_DIR: text,
  HELPDESK_WEB_DIR: text,
  HELPDESK_MAX_ATTACHMENT_BYTES: integer(26_214_400, 1, 5 * 1024 ** 3),
  HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES: integer(1024 ** 3, 1, 1024 ** 4),
  HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES: integer(256 * 1024 ** 2, 1, 1024 ** 4),
  HELPDESK_APP_KEYS_DIR: text,
  HELPDESK_BOOTSTRAP_ADMIN_EMAIL: text.pipe(z.email('must be an email address').optional()),
  HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: text.pipe(
    z.string().min(12, 'must be at least 12 characters').optional(),
  ),
}

/** The API's own variables (the connection variables are @helpdesk/config's). */
export const API_VARIABLES = Object.keys(variables) as readonly (keyof typeof variables)[]

export interface LoadOptions {
  /** Whether stdout is a terminal: chooses the log format unless LOG_FORMAT does. */
  terminal?: boolean
}

/** Parses the environment into a Config, or throws a ConfigError listing every problem. */
export function loadConfig(
  environment: Environment = process.env,
  cwd = process.cwd(),
  { terminal = false }: LoadOptions = {},
): Config {
  const problems: Problems = []
  const env = readVariables(variables, environment, problems)
  const dataDir = path.resolve(cwd, env.HELPDESK_DATA_DIR ?? 'data')
  const connection = parseDatabase(environment, problems)
  const database: DatabaseConfig = connection
    ? { kind: 'external', connection, poolMax: env.DATABASE_POOL_MAX }
    : { kind: 'embedded', dataDir: path.join(dataDir, 'postgres'), poolMax: env.DATABASE_POOL_MAX }
  const config: Config = {
    port: env.PORT,
    metrics: {
      port: env.HELPDESK_METRICS_PORT,
      // A laptop's metrics stay on the laptop; a pod's are scraped over the pod network.
      host: env.HELPDESK_METRICS_HOST ?? (database.kind === 'embedded' ? '127.0.0.1' : '0.0.0.0'),
    },
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (terminal ? 'pretty' : 'json'),
    // Unset, the API is where this process listens: links and cookies name the real port.
    publicUrl: env.HELPDESK_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    corsOrigins: env.HELPDESK_CORS_ORIGINS,
    cspConnectSrc: env.HELPDESK_CSP_CONNECT_SRC,
    trustProxy: env.HELPDESK_TRUST_PROXY,
    shutdownGraceMs: env.HELPDESK_SHUTDOWN_GRACE_MS,
    database,
    redis: parseRedis(environment, problems),
    s3: parseS3(environment, S3_VARIABLES, problems) ?? null,
    dataDir,
    maxAttachmentBytes: env.HELPDESK_MAX_ATTACHMENT_BYTES,
    attachmentQuota: {
      perUserBytes: env.HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES,
      perTicketBytes: env.HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES,
    },
    appKeys: appKeysConfig(env.HELPDESK_APP_KEYS_DIR, database, dataDir, cwd),
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

function appKeysConfig(
  configured: string | undefined,
  database: DatabaseConfig,
  dataDir: string,
  cwd: string,
): AppKeysConfig | null {
  if (configured) return { dir: path.resolve(cwd, configured), generate: false }
  // A key made up by one pod would lock every other pod out of the secrets it seals.
  if (database.kind === 'external') return null
  return { dir: path.join(dataDir, 'app-keys'), generate: true }
}
