// How the API process (and the Jobs that run its image) reach Postgres, Redis and the
// attachments bucket, as environment variables (docs/configuration.md): plain settings,
// secrets by reference, and CA bundles as files. The names are @helpdesk/config's, the
// package whose parsers read them.

import { API_VARIABLES, DATABASE_VARIABLES, REDIS_VARIABLES, S3_VARIABLES } from '@helpdesk/config'
import type { SecretDirectory, SecretEnvVar, SecretFile } from '../constructs/pod-spec.ts'
import { PORTS } from '../defaults.ts'
import type { HelpdeskValues } from '../schema/helpdesk.ts'
import type { RenderContext } from './context.ts'
import { objectName } from './labels.ts'

export interface Connection {
  environment: Record<string, string>
  secretEnvironment: SecretEnvVar[]
  secretFiles: SecretFile[]
  /** Whole Secrets mounted as directories (keyrings). @default - none */
  secretDirectories?: SecretDirectory[]
}

const TLS_DIRECTORY = '/etc/helpdesk/tls'
const DB = DATABASE_VARIABLES
const REDIS = REDIS_VARIABLES
const S3 = S3_VARIABLES

/** Names of the Secrets an instance creates or expects. */
export const secretNames = {
  postgresAuth: (context: RenderContext) => objectName(context, 'postgres-auth'),
  redisAuth: (context: RenderContext) => objectName(context, 'redis-auth'),
  minioAuth: (context: RenderContext) => objectName(context, 'minio-auth'),
  admin: (context: RenderContext) => objectName(context, 'admin'),
  appKeys: (context: RenderContext, values: HelpdeskValues) =>
    values.api.appKeys.existingSecret ?? objectName(context, 'app-keys'),
  postgresTls: (context: RenderContext, database: WithTls) =>
    database.tls.secretName ?? objectName(context, 'postgres-tls'),
  redisTls: (context: RenderContext, redis: WithTls) =>
    redis.tls.secretName ?? objectName(context, 'redis-tls'),
  ingressTls: (context: RenderContext, values: HelpdeskValues) =>
    values.ingress.tls.secretName ?? objectName(context, 'tls'),
}

interface WithTls {
  readonly tls: { readonly secretName?: string }
}

export type ManagedDatabase = NonNullable<HelpdeskValues['database']['managed']>
export type ManagedRedis = NonNullable<HelpdeskValues['redis']['managed']>

export function databaseConnection(context: RenderContext, values: HelpdeskValues): Connection {
  const { managed, external } = values.database
  if (external) {
    const ca = external.caSecretRef
    return {
      environment: {
        [DB.host]: external.host,
        [DB.port]: String(external.port),
        [DB.name]: external.database,
        [DB.user]: external.user,
        [DB.sslMode]: external.sslMode,
        ...(ca ? { [DB.sslRootCert]: `${TLS_DIRECTORY}/postgres/${ca.key}` } : {}),
      },
      secretEnvironment: [
        {
          name: DB.password,
          secretName: external.passwordSecretRef.name,
          key: external.passwordSecretRef.key,
        },
      ],
      secretFiles: ca ? [caFile('postgres-ca', ca.name, ca.key, 'postgres')] : [],
    }
  }
  const database = managed as ManagedDatabase
  const tls = database.tls.enabled === true
  return {
    environment: {
      [DB.host]: objectName(context, 'postgres'),
      [DB.port]: String(PORTS.postgres),
      [DB.name]: 'helpdesk',
      [DB.user]: 'helpdesk',
      [DB.sslMode]: tls ? 'verify-full' : 'disable',
      ...(tls ? { [DB.sslRootCert]: `${TLS_DIRECTORY}/postgres/ca.crt` } : {}),
    },
    secretEnvironment: [
      {
        name: DB.password,
        secretName: database.existingSecret ?? secretNames.postgresAuth(context),
        key: 'password',
      },
    ],
    secretFiles: tls
      ? [caFile('postgres-ca', secretNames.postgresTls(context, database), 'ca.crt', 'postgres')]
      : [],
  }
}

export function redisConnection(context: RenderContext, values: HelpdeskValues): Connection {
  const { managed, external } = values.redis
  if (external) {
    const ca = external.caSecretRef
    const password = external.passwordSecretRef
    return {
      environment: {
        [REDIS.host]: external.host,
        [REDIS.port]: String(external.port),
        ...(external.username === undefined ? {} : { [REDIS.username]: external.username }),
        [REDIS.tls]: String(external.tls),
        ...(ca ? { [REDIS.tlsCaFile]: `${TLS_DIRECTORY}/redis/${ca.key}` } : {}),
      },
      secretEnvironment: password
        ? [{ name: REDIS.password, secretName: password.name, key: password.key }]
        : [],
      secretFiles: ca ? [caFile('redis-ca', ca.name, ca.key, 'redis')] : [],
    }
  }
  const redis = managed as ManagedRedis
  const tls = redis.tls.enabled === true
  return {
    environment: {
      [REDIS.host]: objectName(context, 'redis'),
      [REDIS.port]: String(PORTS.redis),
      [REDIS.tls]: String(tls),
      ...(tls ? { [REDIS.tlsCaFile]: `${TLS_DIRECTORY}/redis/ca.crt` } : {}),
    },
    secretEnvironment: [
      {
        name: REDIS.password,
        secretName: redis.existingSecret ?? secretNames.redisAuth(context),
        key: 'password',
      },
    ],
    secretFiles: tls
      ? [caFile('redis-ca', secretNames.redisTls(context, redis), 'ca.crt', 'redis')]
      : [],
  }
}

/** The attachments bucket (S3_* and the SDK's AWS_* credentials). */
export function attachmentsConnection(context: RenderContext, values: HelpdeskValues): Connection {
  const { s3, minio } = values.storage
  if (s3) {
    return {
      environment: {
        [S3.bucket]: s3.bucket,
        [S3.region]: s3.region,
        ...(s3.endpoint ? { [S3.endpoint]: s3.endpoint } : {}),
        [S3.forcePathStyle]: String(s3.forcePathStyle),
      },
      // Without a Secret the SDK's default chain finds the pod's cloud identity.
      secretEnvironment: s3.credentialsSecretRef
        ? awsCredentials(s3.credentialsSecretRef.name)
        : [],
      secretFiles: [],
    }
  }
  const store = minio as NonNullable<typeof minio>
  return {
    environment: {
      [S3.bucket]: store.bucket,
      [S3.region]: 'us-east-1',
      [S3.endpoint]: `http://${objectName(context, 'minio')}:${PORTS.minio}`,
      [S3.forcePathStyle]: 'true',
    },
    secretEnvironment: awsCredentials(store.existingSecret ?? secretNames.minioAuth(context)),
    secretFiles: [],
  }
}

export function awsCredentials(secretName: string, prefix = ''): SecretEnvVar[] {
  return [S3.accessKeyId, S3.secretAccessKey].map((key) => ({
    name: `${prefix}${key}`,
    secretName,
    key,
  }))
}

export function combine(...connections: Connection[]): Connection {
  return {
    environment: Object.assign({}, ...connections.map((c) => c.environment)),
    secretEnvironment: connections.flatMap((c) => c.secretEnvironment),
    secretFiles: connections.flatMap((c) => c.secretFiles),
    secretDirectories: connections.flatMap((c) => c.secretDirectories ?? []),
  }
}

/** Where the application keys are mounted (the API's HELPDESK_APP_KEYS_DIR). */
export const APP_KEYS_DIRECTORY = '/etc/helpdesk/app-keys'
/**
 * The key id of the key the chart or the operator generates: before any dated id in byte
 * order, so that a key added as `2027-01-01` becomes the current one.
 */
export const GENERATED_APP_KEY_ID = '0-generated'

/**
 * The application keys (TOTP secrets are sealed with them): the API, and the backup
 * engine's restores and drills, which refuse data sealed with a key they lack.
 */
export function applicationKeys(context: RenderContext, values: HelpdeskValues): Connection {
  return {
    environment: { [API_VARIABLES.appKeysDir]: APP_KEYS_DIRECTORY },
    secretEnvironment: [],
    secretFiles: [],
    secretDirectories: [
      {
        volume: 'app-keys',
        secretName: secretNames.appKeys(context, values),
        path: APP_KEYS_DIRECTORY,
        mode: 0o440,
      },
    ],
  }
}

const MAIL_CHANNELS_DIRECTORY = '/etc/helpdesk/mail-channels'

/** Outgoing mail's SMTP server and the mail channels' Secret, when configured. */
export function mailConnection(values: HelpdeskValues): Connection {
  const { smtp, channels } = values.mail
  const credentials = smtp?.credentialsSecretRef
  const ca = smtp?.caSecretRef
  return {
    environment: {
      ...(smtp
        ? {
            [API_VARIABLES.smtpHost]: smtp.host,
            [API_VARIABLES.smtpPort]: String(smtp.port),
            [API_VARIABLES.smtpSecurity]: smtp.security,
          }
        : {}),
      ...(ca ? { [API_VARIABLES.smtpTlsCaFile]: `${TLS_DIRECTORY}/smtp/${ca.key}` } : {}),
      ...(channels ? { [API_VARIABLES.mailChannelsDir]: MAIL_CHANNELS_DIRECTORY } : {}),
    },
    secretEnvironment: credentials
      ? [
          { name: API_VARIABLES.smtpUser, secretName: credentials.name, key: 'username' },
          { name: API_VARIABLES.smtpPassword, secretName: credentials.name, key: 'password' },
        ]
      : [],
    secretFiles: ca ? [caFile('smtp-ca', ca.name, ca.key, 'smtp')] : [],
    secretDirectories: channels
      ? [
          {
            volume: 'mail-channels',
            secretName: channels.existingSecret,
            path: MAIL_CHANNELS_DIRECTORY,
            mode: 0o440,
          },
        ]
      : [],
  }
}

function caFile(volume: string, secretName: string, key: string, directory: string): SecretFile {
  return { volume, secretName, key, directory: `${TLS_DIRECTORY}/${directory}` }
}
