// Configuration comes only from the environment (docs/configuration.md), validated as a whole
// at start-up so an operator sees every problem at once, not one per restart. The connection
// variables (DATABASE_*, REDIS_*, S3_*) are @helpdesk/config's: the backup engine and the
// charts share them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  type ApiVariable,
  type DATABASE_VARIABLES,
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
import apiPackage from '../package.json' with { type: 'json' }

export type { Environment } from '@helpdesk/config'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** json: one JSON object a line (for collectors); pretty: lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty'

export type DatabaseConfig =
  | { kind: 'external'; connection: DatabaseSettings; poolMax: number }
  | { kind: 'embedded'; dataDir: string; poolMax: number }

export type RedisConfig = RedisSettings
export type S3Config = S3Settings

/**
 * The SMTP server outgoing mail is submitted to. `starttls` upgrades a plain connection (587)
 * and refuses a server that does not offer it; `tls` speaks TLS from the first byte (465);
 * `none` is for a relay on the same host or pod network only.
 */
export interface SmtpConfig {
  host: string
  port: number
  security: 'starttls' | 'tls' | 'none'
  auth?: { user: string; password: string }
  /** PEM of the CA that signed the server's certificate, when it is not a public one. */
  ca?: string
}

/**
 * A mail channel defined by configuration (`HELPDESK_MAIL_CHANNELS`, e.g. from a chart's
 * values), its password from `HELPDESK_MAIL_CHANNEL_<NAME>_PASSWORD` (a Secret; both may
 * also be files of that name in `HELPDESK_MAIL_CHANNELS_DIR`, a mounted Secret): shown to
 * admins beside the channels they add themselves, changed only where it is configured.
 */
export interface ConfiguredChannel {
  name: string
  address: string
  /** The team its tickets go to, by name. */
  team?: string
  host: string
  port: number
  security: 'tls' | 'starttls' | 'none'
  user: string
  password: string
  mailbox: string
  mode: 'idle' | 'poll'
  pollSeconds: number
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
  /** @default pretty on a terminal, json otherwise */
  logFormat: LogFormat
  publicUrl: string
  corsOrigins: string[]
  cspConnectSrc: string[]
  trustProxy: boolean
  shutdownGraceMs: number
  /** How long a process may serve a session from its own copy (0: ask Redis every time). */
  sessionCacheSeconds: number
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
  /** null: outgoing mail stays in the outbox, readable in Admin → Email (embedded mode). */
  smtp: SmtpConfig | null
  mailChannels: ConfiguredChannel[]
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

const { version } = apiPackage

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
  HELPDESK_SESSION_CACHE_SECONDS: integer(5, 0, 3_600),
  DATABASE_POOL_MAX: integer(10, 1, 500),
  HELPDESK_DATA_DIR: text,
  HELPDESK_WEB_DIR: text,
  HELPDESK_MAX_ATTACHMENT_BYTES: integer(26_214_400, 1, 5 * 1024 ** 3),
  HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES: integer(1024 ** 3, 1, 1024 ** 4),
  HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES: integer(256 * 1024 ** 2, 1, 1024 ** 4),
  HELPDESK_APP_KEYS_DIR: text,
  SMTP_HOST: text,
  SMTP_PORT: integer(0, 1, 65535),
  SMTP_SECURITY: text.pipe(z.enum(['starttls', 'tls', 'none']).optional()),
  SMTP_USER: text,
  SMTP_PASSWORD: text,
  SMTP_TLS_CA_FILE: text,
  HELPDESK_MAIL_CHANNELS: text,
  HELPDESK_MAIL_CHANNELS_DIR: text,
  HELPDESK_BOOTSTRAP_ADMIN_EMAIL: text.pipe(z.email('must be an email address').optional()),
  HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: text.pipe(
    z.string().min(12, 'must be at least 12 characters').optional(),
  ),
  // Every name @helpdesk/config lists for the API, and no other: the charts write those.
} satisfies Record<ApiVariable | typeof DATABASE_VARIABLES.poolMax, z.ZodType>

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
    sessionCacheSeconds: env.HELPDESK_SESSION_CACHE_SECONDS,
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
    smtp: smtpConfig(env, problems),
    mailChannels: mailChannelsConfig(
      withChannelFiles(env.HELPDESK_MAIL_CHANNELS_DIR, environment, problems),
      problems,
    ),
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

const SMTP_DEFAULT_PORTS = { starttls: 587, tls: 465, none: 25 } as const

interface SmtpVariables {
  SMTP_HOST?: string | undefined
  SMTP_PORT: number
  SMTP_SECURITY?: 'starttls' | 'tls' | 'none' | undefined
  SMTP_USER?: string | undefined
  SMTP_PASSWORD?: string | undefined
  SMTP_TLS_CA_FILE?: string | undefined
}

function smtpConfig(env: SmtpVariables, problems: Problems): SmtpConfig | null {
  if (!env.SMTP_HOST) {
    for (const name of ['SMTP_USER', 'SMTP_PASSWORD', 'SMTP_TLS_CA_FILE'] as const) {
      if (env[name]) problems.push(`${name}: set SMTP_HOST too`)
    }
    return null
  }
  if (Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD)) {
    problems.push('SMTP_PASSWORD: set both SMTP_USER and SMTP_PASSWORD, or neither')
  }
  const security = env.SMTP_SECURITY ?? 'starttls'
  if (security === 'none' && env.SMTP_PASSWORD) {
    problems.push('SMTP_SECURITY: none would send SMTP_PASSWORD in the clear; use starttls or tls')
  }
  const ca = env.SMTP_TLS_CA_FILE && readCaFile(env.SMTP_TLS_CA_FILE, problems)
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT || SMTP_DEFAULT_PORTS[security],
    security,
    ...(env.SMTP_USER && env.SMTP_PASSWORD
      ? { auth: { user: env.SMTP_USER, password: env.SMTP_PASSWORD } }
      : {}),
    ...(ca ? { ca } : {}),
  }
}

const channelSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, 'a DNS label such as support'),
  address: z.email().transform((address) => address.toLowerCase()),
  team: z.string().min(1).max(200).optional(),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).optional(),
  security: z.enum(['tls', 'starttls', 'none']).default('tls'),
  user: z.string().min(1).max(320),
  mailbox: z.string().min(1).max(200).default('INBOX'),
  mode: z.enum(['idle', 'poll']).default('idle'),
  pollSeconds: z.number().int().min(5).max(3600).default(60),
})

/** The variable holding a configured channel's password. */
export function channelPasswordVariable(name: string): string {
  return `HELPDESK_MAIL_CHANNEL_${name.toUpperCase().replace(/-/g, '_')}_PASSWORD`
}

/**
 * The environment with the channel variables a mounted Secret holds as files (the chart's
 * api.mail.channels.existingSecret); a variable set directly wins.
 */
function withChannelFiles(
  dir: string | undefined,
  environment: Environment,
  problems: string[],
): Environment {
  if (!dir) return environment
  let names: string[]
  try {
    names = readdirSync(dir).filter((name) => /^HELPDESK_MAIL_CHANNELS?(_[A-Z0-9_]+)?$/.test(name))
  } catch {
    problems.push(`HELPDESK_MAIL_CHANNELS_DIR: cannot read ${dir}`)
    return environment
  }
  const files = Object.fromEntries(
    names.map((name) => [name, readFileSync(path.join(dir, name), 'utf8').trim()]),
  )
  return { ...files, ...environment }
}

function mailChannelsConfig(environment: Environment, problems: string[]): ConfiguredChannel[] {
  const raw = environment.HELPDESK_MAIL_CHANNELS
  if (!raw) return []
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    problems.push('HELPDESK_MAIL_CHANNELS: must be a JSON array of channels')
    return []
  }
  const parsed = z.array(channelSchema).safeParse(json)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`HELPDESK_MAIL_CHANNELS.${issue.path.join('.')}: ${issue.message}`)
    }
    return []
  }
  const channels: ConfiguredChannel[] = []
  const seen = new Set<string>()
  for (const channel of parsed.data) {
    if (seen.has(channel.name)) problems.push(`HELPDESK_MAIL_CHANNELS: ${channel.name} twice`)
    seen.add(channel.name)
    const variable = channelPasswordVariable(channel.name)
    const password = environment[variable]
    if (!password) problems.push(`${variable}: required for mail channel ${channel.name}`)
    channels.push({
      ...channel,
      port: channel.port ?? (channel.security === 'tls' ? 993 : 143),
      password: password ?? '',
    })
  }
  return channels
}

function readCaFile(file: string, problems: Problems): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    problems.push(`SMTP_TLS_CA_FILE: cannot read ${file}`)
    return undefined
  }
}
