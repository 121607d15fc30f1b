// Configuration from the environment, per CONTRIBUTING.md "Backup engine": the target from
// BACKUP_S3_*, the database from the API's DATABASE_* variables, the attachments bucket
// from the API's S3_* and AWS_* variables, the keyring from BACKUP_KEYRING_DIR. Command-line
// flags override single settings. Every problem is reported at once.
import { z } from 'zod'
import { configError } from './errors.ts'

export type Environment = Record<string, string | undefined>

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full'

export interface DatabaseSettings {
  host: string
  port: number
  database: string
  user: string
  password?: string
  sslMode?: SslMode
  /** A file with the CA certificates that sign the server's certificate. */
  sslRootCert?: string
}

export interface S3Settings {
  bucket: string
  region: string
  endpoint?: string
  forcePathStyle: boolean
  /** Without them the SDK's default chain applies (web identity, instance roles...). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** Server-side encryption of the objects the engine writes (on top of its own encryption). */
export interface ServerSideEncryption {
  algorithm: 'AES256' | 'aws:kms'
  /** For aws:kms; the bucket's default KMS key otherwise. */
  kmsKeyId?: string
}

export interface BackupLocation extends S3Settings {
  /** Empty, or ends with '/'. */
  prefix: string
  /** BACKUP_S3_SERVER_SIDE_ENCRYPTION; none when unset. */
  serverSideEncryption?: ServerSideEncryption
  /** BACKUP_S3_MANAGE_LIFECYCLE: the bucket is this install's own; prune sets its lifecycle. */
  manageLifecycle: boolean
}

export interface EngineConfig {
  location: BackupLocation
  /** Absent when no DATABASE_* variable is set; commands that need it say so. */
  database?: DatabaseSettings
  /** Absent when attachments are not kept in S3 (embedded mode). */
  attachments?: S3Settings
  keyringDir: string
  /** BACKUP_RESULT_FILE: where `backup` also writes its one-line result for the operator. */
  resultFile?: string
}

/** Settings a command line may override (see `cli.ts`). */
export interface ConfigOverrides {
  bucket?: string
  prefix?: string
  keyringDir?: string
  databaseUrl?: string
}

export const DEFAULT_KEYRING_DIR = '/etc/helpdesk/backup-keys'

const text = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined))

const flag = text.transform((value, context) => {
  if (value === undefined) return false
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false
  context.addIssue({ code: 'custom', message: 'must be true or false' })
  return z.NEVER
})

const port = text.transform((value, context) => {
  if (value === undefined) return 5432
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < 1 || number > 65535) {
    context.addIssue({ code: 'custom', message: 'must be a port number' })
    return z.NEVER
  }
  return number
})

const sslMode = text.pipe(z.enum(['disable', 'require', 'verify-ca', 'verify-full']).optional())

const httpUrl = text.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
)

const environmentSchema = z.object({
  BACKUP_S3_BUCKET: text,
  BACKUP_S3_PREFIX: text,
  BACKUP_S3_REGION: text,
  BACKUP_S3_ENDPOINT: httpUrl,
  BACKUP_S3_FORCE_PATH_STYLE: flag,
  BACKUP_S3_ACCESS_KEY_ID: text,
  BACKUP_S3_SECRET_ACCESS_KEY: text,
  BACKUP_S3_SERVER_SIDE_ENCRYPTION: text.pipe(z.enum(['AES256', 'aws:kms', 'none']).optional()),
  BACKUP_S3_KMS_KEY_ID: text,
  BACKUP_S3_MANAGE_LIFECYCLE: flag,
  BACKUP_KEYRING_DIR: text,
  BACKUP_RESULT_FILE: text,
  DATABASE_URL: text,
  DATABASE_HOST: text,
  DATABASE_PORT: port,
  DATABASE_NAME: text,
  DATABASE_USER: text,
  DATABASE_PASSWORD: text,
  DATABASE_SSL_MODE: sslMode,
  DATABASE_SSL_ROOT_CERT: text,
  S3_BUCKET: text,
  S3_REGION: text,
  S3_ENDPOINT: httpUrl,
  S3_FORCE_PATH_STYLE: flag,
  AWS_ACCESS_KEY_ID: text,
  AWS_SECRET_ACCESS_KEY: text,
})

type Parsed = z.infer<typeof environmentSchema>

export function loadConfig(
  environment: Environment,
  overrides: ConfigOverrides = {},
): EngineConfig {
  const result = environmentSchema.safeParse(environment)
  if (!result.success) {
    throw invalidConfiguration(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    )
  }
  const env = result.data
  const problems: string[] = []
  const bucket = overrides.bucket ?? env.BACKUP_S3_BUCKET
  if (!bucket) problems.push('BACKUP_S3_BUCKET: required (or --bucket)')
  const location: BackupLocation = {
    ...s3Settings(
      {
        bucket: bucket ?? '',
        region: env.BACKUP_S3_REGION,
        endpoint: env.BACKUP_S3_ENDPOINT,
        forcePathStyle: env.BACKUP_S3_FORCE_PATH_STYLE,
        accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID,
        secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY,
      },
      'BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY',
      problems,
    ),
    prefix: normalisePrefix(overrides.prefix ?? env.BACKUP_S3_PREFIX),
    ...serverSideEncryption(env, problems),
    manageLifecycle: env.BACKUP_S3_MANAGE_LIFECYCLE,
  }
  const database = overrides.databaseUrl
    ? parseDatabaseUrl(overrides.databaseUrl, '--database-url', problems)
    : databaseSettings(env, problems)
  const attachments = attachmentSettings(env, problems)
  if (problems.length > 0) throw invalidConfiguration(problems)
  return {
    location,
    keyringDir: overrides.keyringDir ?? env.BACKUP_KEYRING_DIR ?? DEFAULT_KEYRING_DIR,
    ...(env.BACKUP_RESULT_FILE ? { resultFile: env.BACKUP_RESULT_FILE } : {}),
    ...(database ? { database } : {}),
    ...(attachments ? { attachments } : {}),
  }
}

function serverSideEncryption(
  env: Parsed,
  problems: string[],
): Pick<BackupLocation, 'serverSideEncryption'> {
  const algorithm = env.BACKUP_S3_SERVER_SIDE_ENCRYPTION
  if (env.BACKUP_S3_KMS_KEY_ID && algorithm !== 'aws:kms') {
    problems.push('BACKUP_S3_KMS_KEY_ID: needs BACKUP_S3_SERVER_SIDE_ENCRYPTION=aws:kms')
  }
  if (!algorithm || algorithm === 'none') return {}
  return {
    serverSideEncryption: {
      algorithm,
      ...(env.BACKUP_S3_KMS_KEY_ID ? { kmsKeyId: env.BACKUP_S3_KMS_KEY_ID } : {}),
    },
  }
}

function invalidConfiguration(problems: string[]) {
  return configError(`invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`)
}

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '')
  return trimmed ? `${trimmed}/` : ''
}

interface S3Input {
  bucket: string
  region: string | undefined
  endpoint: string | undefined
  forcePathStyle: boolean
  accessKeyId: string | undefined
  secretAccessKey: string | undefined
}

function s3Settings(input: S3Input, credentialNames: string, problems: string[]): S3Settings {
  if (Boolean(input.accessKeyId) !== Boolean(input.secretAccessKey)) {
    problems.push(`${credentialNames}: set both or neither`)
  }
  return {
    bucket: input.bucket,
    region: input.region ?? 'us-east-1',
    forcePathStyle: input.forcePathStyle,
    ...(input.endpoint ? { endpoint: input.endpoint } : {}),
    ...(input.accessKeyId && input.secretAccessKey
      ? { credentials: { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey } }
      : {}),
  }
}

function attachmentSettings(env: Parsed, problems: string[]): S3Settings | undefined {
  if (!env.S3_BUCKET) {
    if (env.S3_REGION || env.S3_ENDPOINT) {
      problems.push('S3_BUCKET: required when S3_REGION or S3_ENDPOINT is set')
    }
    return undefined
  }
  return s3Settings(
    {
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    },
    'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    problems,
  )
}

function databaseSettings(env: Parsed, problems: string[]): DatabaseSettings | undefined {
  const discrete = env.DATABASE_HOST ?? env.DATABASE_NAME ?? env.DATABASE_USER
  if (env.DATABASE_URL && discrete) {
    problems.push('DATABASE_URL: set either DATABASE_URL or the DATABASE_HOST/NAME/USER variables')
    return undefined
  }
  const tls = {
    ...(env.DATABASE_SSL_MODE ? { sslMode: env.DATABASE_SSL_MODE } : {}),
    ...(env.DATABASE_SSL_ROOT_CERT ? { sslRootCert: env.DATABASE_SSL_ROOT_CERT } : {}),
  }
  if (env.DATABASE_URL) {
    const parsed = parseDatabaseUrl(env.DATABASE_URL, 'DATABASE_URL', problems)
    return parsed && { ...parsed, ...tls }
  }
  if (!discrete) return undefined
  for (const name of ['DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_USER'] as const) {
    if (!env[name])
      problems.push(`${name}: required when the discrete DATABASE_* variables are used`)
  }
  return {
    host: env.DATABASE_HOST ?? '',
    port: env.DATABASE_PORT,
    database: env.DATABASE_NAME ?? '',
    user: env.DATABASE_USER ?? '',
    ...(env.DATABASE_PASSWORD ? { password: env.DATABASE_PASSWORD } : {}),
    ...tls,
  }
}

const URL_PARAMETERS = new Set(['sslmode', 'sslrootcert'])

function parseDatabaseUrl(
  value: string,
  name: string,
  problems: string[],
): DatabaseSettings | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(`${name}: must be a postgres:// URL`)
    return undefined
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!/^postgres(ql)?:$/.test(url.protocol) || !url.hostname || !database || !url.username) {
    problems.push(`${name}: must be a postgres://user[:password]@host[:port]/database URL`)
    return undefined
  }
  const unknown = [...url.searchParams.keys()].filter((key) => !URL_PARAMETERS.has(key))
  if (unknown.length > 0) problems.push(`${name}: unsupported parameters ${unknown.join(', ')}`)
  const mode = sslMode.safeParse(url.searchParams.get('sslmode') ?? undefined)
  if (!mode.success)
    problems.push(`${name}: sslmode must be disable, require, verify-ca or verify-full`)
  const rootCert = url.searchParams.get('sslrootcert')
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    database,
    user: decodeURIComponent(url.username),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(mode.success && mode.data ? { sslMode: mode.data } : {}),
    ...(rootCert ? { sslRootCert: rootCert } : {}),
  }
}

/** The database settings, or a configuration error naming the variables to set. */
export function requireDatabase(config: EngineConfig): DatabaseSettings {
  if (!config.database) {
    throw configError(
      'no database configured: set DATABASE_URL or DATABASE_HOST, DATABASE_NAME, DATABASE_USER (and DATABASE_PASSWORD), or pass --database-url',
    )
  }
  return config.database
}
