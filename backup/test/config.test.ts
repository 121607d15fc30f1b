import { BACKUP_KEYRING_DIR } from '@helpdesk/config'
import { describe, expect, it } from '@jest/globals'
import { loadConfig } from '../src/config.ts'
import { BackupError } from '../src/errors.ts'

const target = { BACKUP_S3_BUCKET: 'backups' }

function problems(env: Record<string, string>, overrides = {}): string {
  try {
    loadConfig(env, overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError)
    expect((error as BackupError).kind).toBe('config')
    return (error as Error).message
  }
  throw new Error('expected the configuration to be refused')
}

describe('configuration', () => {
  it('takes the target from BACKUP_S3_* and the database from DATABASE_URL', () => {
    const config = loadConfig({
      ...target,
      BACKUP_S3_PREFIX: '/prod/helpdesk/',
      BACKUP_S3_ENDPOINT: 'https://s3.example.com',
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: 'id',
      BACKUP_S3_SECRET_ACCESS_KEY: 'secret',
      DATABASE_URL: 'postgres://app:p%40ss@db.example.com:6543/helpdesk?sslmode=verify-full',
    })
    expect(config).toEqual({
      location: {
        bucket: 'backups',
        prefix: 'prod/helpdesk/',
        region: 'us-east-1',
        endpoint: 'https://s3.example.com',
        forcePathStyle: true,
        manageLifecycle: false,
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      },
      database: {
        host: 'db.example.com',
        port: 6543,
        database: 'helpdesk',
        user: 'app',
        password: 'p@ss',
        sslMode: 'verify-full',
      },
      keyringDir: BACKUP_KEYRING_DIR,
    })
  })

  it('takes the discrete DATABASE_* variables and the attachments bucket from S3_* and AWS_*', () => {
    const config = loadConfig({
      ...target,
      DATABASE_HOST: 'postgres',
      DATABASE_NAME: 'helpdesk',
      DATABASE_USER: 'helpdesk',
      DATABASE_PASSWORD: 'secret',
      DATABASE_SSL_MODE: 'require',
      S3_BUCKET: 'attachments',
      S3_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      BACKUP_KEYRING_DIR: '/keys',
    })
    expect(config.database).toEqual({
      host: 'postgres',
      port: 5432,
      database: 'helpdesk',
      user: 'helpdesk',
      password: 'secret',
      sslMode: 'require',
    })
    expect(config.attachments).toEqual({
      bucket: 'attachments',
      region: 'eu-west-1',
      forcePathStyle: false,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    })
    expect(config.keyringDir).toBe('/keys')
  })

  it("leaves both buckets to the SDK's default chain without keys (cloud identity)", () => {
    const config = loadConfig({
      ...target,
      DATABASE_URL: 'postgres://app:pw@db/helpdesk',
      S3_BUCKET: 'attachments',
    })
    expect(config.location.credentials).toBeUndefined()
    expect(config.attachments?.credentials).toBeUndefined()
  })

  it('lets flags override the environment', () => {
    const config = loadConfig(
      { ...target, DATABASE_URL: 'postgres://a@b/c' },
      { bucket: 'other', prefix: 'p', keyringDir: '/k', databaseUrl: 'postgres://x@y:1/z' },
    )
    expect(config.location).toMatchObject({ bucket: 'other', prefix: 'p/' })
    expect(config.database).toEqual({ host: 'y', port: 1, database: 'z', user: 'x' })
    expect(config.keyringDir).toBe('/k')
  })

  it('takes server-side encryption and the lifecycle flag from BACKUP_S3_*', () => {
    const kms = loadConfig({
      ...target,
      BACKUP_S3_SERVER_SIDE_ENCRYPTION: 'aws:kms',
      BACKUP_S3_KMS_KEY_ID: 'alias/backups',
      BACKUP_S3_MANAGE_LIFECYCLE: 'true',
    })
    expect(kms.location).toMatchObject({
      serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/backups' },
      manageLifecycle: true,
    })
    const none = loadConfig({ ...target, BACKUP_S3_SERVER_SIDE_ENCRYPTION: 'none' })
    expect(none.location.serverSideEncryption).toBeUndefined()
    const message = problems({
      ...target,
      BACKUP_S3_SERVER_SIDE_ENCRYPTION: 'AES256',
      BACKUP_S3_KMS_KEY_ID: 'alias/backups',
      BACKUP_S3_MANAGE_LIFECYCLE: 'sometimes',
    })
    expect(message).toMatch(/BACKUP_S3_KMS_KEY_ID: needs BACKUP_S3_SERVER_SIDE_ENCRYPTION=aws:kms/)
    expect(message).toMatch(/BACKUP_S3_MANAGE_LIFECYCLE: must be true or false/)
  })

  it('lists every problem at once', () => {
    const message = problems({
      BACKUP_S3_ACCESS_KEY_ID: 'only the id',
      BACKUP_S3_FORCE_PATH_STYLE: 'maybe',
      DATABASE_URL: 'mysql://x@y/z',
      S3_ENDPOINT: 'not a url',
    })
    expect(message).toMatch(/BACKUP_S3_FORCE_PATH_STYLE: must be true or false/)
    expect(message).toMatch(/S3_ENDPOINT: must be an http\(s\) URL/)
    const second = problems({
      BACKUP_S3_ACCESS_KEY_ID: 'only the id',
      DATABASE_URL: 'mysql://x@y/z',
      S3_REGION: 'x',
    })
    expect(second).toMatch(/BACKUP_S3_BUCKET: required/)
    expect(second).toMatch(
      /BACKUP_S3_SECRET_ACCESS_KEY: set both BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY, or neither/,
    )
    expect(second).toMatch(
      /DATABASE_URL: must be a postgres:\/\/user\[:password\]@host\[:port\]\/database URL/,
    )
    expect(second).toMatch(/S3_BUCKET: required when S3_REGION or S3_ENDPOINT is set/)
  })

  it('refuses a DATABASE_URL beside the discrete variables, and unknown URL parameters', () => {
    expect(problems({ ...target, DATABASE_URL: 'postgres://a@b/c', DATABASE_HOST: 'h' })).toMatch(
      /set either DATABASE_URL or/,
    )
    expect(problems({ ...target, DATABASE_URL: 'postgres://a@b/c?options=-c%20x' })).toMatch(
      /unsupported parameters options/,
    )
    expect(problems({ ...target, DATABASE_HOST: 'h' })).toMatch(/DATABASE_NAME: required/)
  })
})
