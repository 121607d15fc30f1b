// Configuration from the environment (docs/configuration.md "Backup engine"): the target from
// BACKUP_S3_*, the database from the API's DATABASE_* variables, the attachments bucket from
// the API's S3_* and AWS_* variables — all three through @helpdesk/config, the parsers the API
// uses — and the keyring from BACKUP_KEYRING_DIR. Command-line flags override single
// settings. Every problem is reported at once.
import {
  BACKUP_KEYRING_DIR,
  BACKUP_S3_VARIABLES,
  BACKUP_VARIABLES,
  type DatabaseSettings,
  type Environment,
  flag,
  type Problems,
  parseDatabase,
  parseDatabaseUrl,
  parseS3,
  readVariables,
  S3_VARIABLES,
  type S3Settings,
  text,
} from '@helpdesk/config'
import { z } from 'zod'
import { configError } from './errors.ts'

export type { DatabaseSettings, Environment, S3Settings, SslMode } from '@helpdesk/config'

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

export { BACKUP_VARIABLES } from '@helpdesk/config'

const B = BACKUP_S3_VARIABLES

export function loadConfig(
  environment: Environment,
  overrides: ConfigOverrides = {},
): EngineConfig {
  const problems: Problems = []
  const env = readVariables(
    {
      [B.prefix]: text,
      [B.serverSideEncryption]: text.pipe(z.enum(['AES256', 'aws:kms', 'none']).optional()),
      [B.kmsKeyId]: text,
      [B.manageLifecycle]: flag(false),
      [BACKUP_VARIABLES.keyringDir]: text,
      [BACKUP_VARIABLES.resultFile]: text,
    },
    environment,
    problems,
  )
  const target = parseS3(
    { ...environment, [B.bucket]: overrides.bucket ?? environment[B.bucket] },
    B,
    problems,
  )
  if (!target) problems.push(`${B.bucket}: required (or --bucket)`)
  const encryption = serverSideEncryption(env[B.serverSideEncryption], env[B.kmsKeyId], problems)
  const database = overrides.databaseUrl
    ? parseDatabaseUrl(overrides.databaseUrl, '--database-url', problems)
    : parseDatabase(environment, problems)
  const attachments = parseS3(environment, S3_VARIABLES, problems)
  if (problems.length > 0 || !target) throw invalidConfiguration(problems)
  const resultFile = env[BACKUP_VARIABLES.resultFile]
  return {
    location: {
      ...target,
      prefix: normalisePrefix(overrides.prefix ?? env[B.prefix]),
      ...(encryption ? { serverSideEncryption: encryption } : {}),
      manageLifecycle: env[B.manageLifecycle],
    },
    keyringDir: overrides.keyringDir ?? env[BACKUP_VARIABLES.keyringDir] ?? BACKUP_KEYRING_DIR,
    ...(resultFile ? { resultFile } : {}),
    ...(database ? { database } : {}),
    ...(attachments ? { attachments } : {}),
  }
}

function serverSideEncryption(
  algorithm: ServerSideEncryption['algorithm'] | 'none' | undefined,
  kmsKeyId: string | undefined,
  problems: Problems,
): ServerSideEncryption | undefined {
  if (kmsKeyId && algorithm !== 'aws:kms') {
    problems.push(`${B.kmsKeyId}: needs ${B.serverSideEncryption}=aws:kms`)
  }
  if (!algorithm || algorithm === 'none') return undefined
  return { algorithm, ...(kmsKeyId ? { kmsKeyId } : {}) }
}

function invalidConfiguration(problems: string[]) {
  return configError(`invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`)
}

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '')
  return trimmed ? `${trimmed}/` : ''
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
