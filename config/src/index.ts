// The configuration contract between packages (docs/configuration.md): the names of the
// environment variables that connect a process to Postgres, Redis and S3, and the one parser
// of each; the API and the backup engine read them, cdk8s writes them by these names. Also the
// names of the API's, the backup engine's and the operator's own settings, which cdk8s writes too.
export { API_VARIABLES, type ApiVariable } from './api.ts'
export {
  DATABASE_VARIABLES,
  type DatabaseSettings,
  databaseUrl,
  type PgConnection,
  parseDatabase,
  parseDatabaseUrl,
  pgConnection,
  SSL_MODES,
  type SslMode,
} from './database.ts'
export { OPERATOR_VARIABLES } from './operator.ts'
export { parseRedis, REDIS_VARIABLES, type RedisSettings } from './redis.ts'
export {
  BACKUP_KEYRING_DIR,
  BACKUP_S3_VARIABLES,
  BACKUP_VARIABLES,
  parseS3,
  S3_VARIABLES,
  type S3Settings,
  type S3Variables,
} from './s3.ts'
export {
  type Environment,
  flag,
  httpUrl,
  integer,
  type Problems,
  readableFile,
  readVariables,
  text,
} from './variables.ts'
