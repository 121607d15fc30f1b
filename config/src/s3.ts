// S3 buckets: the attachments bucket (S3_* with the SDK's standard AWS_* credentials) and the
// backup bucket (BACKUP_S3_*), described by the same settings and read by one parser.
import { type Environment, flag, httpUrl, type Problems, readVariables, text } from './variables.ts'

export interface S3Variables {
  bucket: string
  region: string
  endpoint: string
  forcePathStyle: string
  accessKeyId: string
  secretAccessKey: string
}

/** The attachments bucket (API) — also what the backup engine copies attachments from. */
export const S3_VARIABLES = {
  bucket: 'S3_BUCKET',
  region: 'S3_REGION',
  endpoint: 'S3_ENDPOINT',
  forcePathStyle: 'S3_FORCE_PATH_STYLE',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
} as const satisfies S3Variables

/** The bucket backups go to (backup engine). */
export const BACKUP_S3_VARIABLES = {
  bucket: 'BACKUP_S3_BUCKET',
  region: 'BACKUP_S3_REGION',
  endpoint: 'BACKUP_S3_ENDPOINT',
  forcePathStyle: 'BACKUP_S3_FORCE_PATH_STYLE',
  accessKeyId: 'BACKUP_S3_ACCESS_KEY_ID',
  secretAccessKey: 'BACKUP_S3_SECRET_ACCESS_KEY',
  /** Key prefix inside the bucket. */
  prefix: 'BACKUP_S3_PREFIX',
  /** AES256, aws:kms or none: server-side encryption on top of the engine's own. */
  serverSideEncryption: 'BACKUP_S3_SERVER_SIDE_ENCRYPTION',
  /** The KMS key for aws:kms; the bucket's default key otherwise. */
  kmsKeyId: 'BACKUP_S3_KMS_KEY_ID',
  /** The bucket is this install's own: prune sets its lifecycle rules. */
  manageLifecycle: 'BACKUP_S3_MANAGE_LIFECYCLE',
} as const satisfies S3Variables & Record<string, string>

/** Where images and charts mount the keyring: the engine's default for BACKUP_KEYRING_DIR. */
export const BACKUP_KEYRING_DIR = '/etc/helpdesk/backup-keys'

/** The backup engine's own files. */
export const BACKUP_VARIABLES = {
  /** The directory holding the keyring (one file per key). */
  keyringDir: 'BACKUP_KEYRING_DIR',
  /** Where `backup` also writes its one-line result for the operator. */
  resultFile: 'BACKUP_RESULT_FILE',
} as const

export interface S3Settings {
  bucket: string
  region: string
  endpoint?: string
  forcePathStyle: boolean
  /** Without them the SDK's default chain applies (web identity, instance roles...). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

const DEFAULT_REGION = 'us-east-1'

/**
 * The bucket named by `names`, or undefined when its variables are unset. A region or an
 * endpoint without a bucket, or half a key pair, is a problem.
 */
export function parseS3(
  environment: Environment,
  names: S3Variables,
  problems: Problems,
): S3Settings | undefined {
  const env = readVariables(
    {
      [names.bucket]: text,
      [names.region]: text,
      [names.endpoint]: httpUrl,
      [names.forcePathStyle]: flag(false),
      [names.accessKeyId]: text,
      [names.secretAccessKey]: text,
    },
    environment,
    problems,
  )
  const bucket = env[names.bucket] as string | undefined
  const region = env[names.region] as string | undefined
  const endpoint = env[names.endpoint] as string | undefined
  const accessKeyId = env[names.accessKeyId] as string | undefined
  const secretAccessKey = env[names.secretAccessKey] as string | undefined
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    problems.push(
      `${names.secretAccessKey}: set both ${names.accessKeyId} and ${names.secretAccessKey}, or neither`,
    )
  }
  if (!bucket) {
    if (region || endpoint) {
      problems.push(`${names.bucket}: required when ${names.region} or ${names.endpoint} is set`)
    }
    return undefined
  }
  return {
    bucket,
    region: region ?? DEFAULT_REGION,
    forcePathStyle: env[names.forcePathStyle] as boolean,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  }
}
