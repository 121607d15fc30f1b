// How the API process (and the Jobs that run its image) reach Postgres, Redis and the
// attachments bucket, as environment variables (CONTRIBUTING.md "API process"): plain
// settings, secrets by reference, and CA bundles as files.

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
        DATABASE_HOST: external.host,
        DATABASE_PORT: String(external.port),
        DATABASE_NAME: external.database,
        DATABASE_USER: external.user,
        DATABASE_SSL_MODE: external.sslMode,
        ...(ca ? { DATABASE_SSL_ROOT_CERT: `${TLS_DIRECTORY}/postgres/${ca.key}` } : {}),
      },
      secretEnvironment: [
        {
          name: 'DATABASE_PASSWORD',
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
      DATABASE_HOST: objectName(context, 'postgres'),
      DATABASE_PORT: String(PORTS.postgres),
      DATABASE_NAME: 'helpdesk',
      DATABASE_USER: 'helpdesk',
      DATABASE_SSL_MODE: tls ? 'verify-full' : 'disable',
      ...(tls ? { DATABASE_SSL_ROOT_CERT: `${TLS_DIRECTORY}/postgres/ca.crt` } : {}),
    },
    secretEnvironment: [
      {
        name: 'DATABASE_PASSWORD',
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
        REDIS_HOST: external.host,
        REDIS_PORT: String(external.port),
        ...(external.username === undefined ? {} : { REDIS_USERNAME: external.username }),
        REDIS_TLS: String(external.tls),
        ...(ca ? { REDIS_TLS_CA_FILE: `${TLS_DIRECTORY}/redis/${ca.key}` } : {}),
      },
      secretEnvironment: password
        ? [{ name: 'REDIS_PASSWORD', secretName: password.name, key: password.key }]
        : [],
      secretFiles: ca ? [caFile('redis-ca', ca.name, ca.key, 'redis')] : [],
    }
  }
  const redis = managed as ManagedRedis
  const tls = redis.tls.enabled === true
  return {
    environment: {
      REDIS_HOST: objectName(context, 'redis'),
      REDIS_PORT: String(PORTS.redis),
      REDIS_TLS: String(tls),
      ...(tls ? { REDIS_TLS_CA_FILE: `${TLS_DIRECTORY}/redis/ca.crt` } : {}),
    },
    secretEnvironment: [
      {
        name: 'REDIS_PASSWORD',
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
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.region,
        ...(s3.endpoint ? { S3_ENDPOINT: s3.endpoint } : {}),
        S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
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
      S3_BUCKET: store.bucket,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: `http://${objectName(context, 'minio')}:${PORTS.minio}`,
      S3_FORCE_PATH_STYLE: 'true',
    },
    secretEnvironment: awsCredentials(store.existingSecret ?? secretNames.minioAuth(context)),
    secretFiles: [],
  }
}

export function awsCredentials(secretName: string, prefix = ''): SecretEnvVar[] {
  return ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((key) => ({
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
    environment: { HELPDESK_APP_KEYS_DIR: APP_KEYS_DIRECTORY },
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

function caFile(volume: string, secretName: string, key: string, directory: string): SecretFile {
  return { volume, secretName, key, directory: `${TLS_DIRECTORY}/${directory}` }
}
