// The connection contract's one parser: what the API, the backup engine and the CLI read
// from DATABASE_*, REDIS_*, S3_* and BACKUP_S3_*, and the pg options that follow.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import {
  BACKUP_S3_VARIABLES,
  databaseUrl,
  parseDatabase,
  parseDatabaseUrl,
  parseRedis,
  parseS3,
  pgConnection,
  S3_VARIABLES,
} from '../src/index.ts'

function parsed<T>(parse: (problems: string[]) => T): { value: T; problems: string[] } {
  const problems: string[] = []
  return { value: parse(problems), problems }
}

describe('the database', () => {
  it('is absent without any DATABASE_* variable', () => {
    expect(parsed((p) => parseDatabase({}, p))).toEqual({ value: undefined, problems: [] })
  })

  it('comes from DATABASE_URL or from the discrete variables, alike', () => {
    const fromUrl = parsed((p) =>
      parseDatabase({ DATABASE_URL: 'postgres://app:p%40ss@db:6432/helpdesk?sslmode=require' }, p),
    )
    const discrete = parsed((p) =>
      parseDatabase(
        {
          DATABASE_HOST: 'db',
          DATABASE_PORT: '6432',
          DATABASE_NAME: 'helpdesk',
          DATABASE_USER: 'app',
          DATABASE_PASSWORD: 'p@ss',
          DATABASE_SSL_MODE: 'require',
        },
        p,
      ),
    )
    const expected = {
      host: 'db',
      port: 6432,
      database: 'helpdesk',
      user: 'app',
      password: 'p@ss',
      sslMode: 'require',
    }
    expect(fromUrl).toEqual({ value: expected, problems: [] })
    expect(discrete).toEqual({ value: expected, problems: [] })
  })

  it('lists every problem, and a URL beside the discrete variables', () => {
    expect(
      parsed((p) => parseDatabase({ DATABASE_URL: 'postgres://a@b/c', DATABASE_HOST: 'h' }, p))
        .problems,
    ).toEqual(['DATABASE_URL: set either DATABASE_URL or the DATABASE_HOST/NAME/USER variables'])
    expect(
      parsed((p) => parseDatabase({ DATABASE_HOST: 'h', DATABASE_PORT: 'x' }, p)).problems,
    ).toEqual([
      'DATABASE_PORT: must be an integer from 1 to 65535',
      'DATABASE_NAME: required when the discrete DATABASE_* variables are used',
      'DATABASE_USER: required when the discrete DATABASE_* variables are used',
    ])
    expect(
      parsed((p) => parseDatabaseUrl('postgres://a@b/c?options=-c&sslmode=prefer', 'X', p))
        .problems,
    ).toEqual([
      'X: unsupported parameters options (only sslmode, sslrootcert)',
      'X: sslmode must be one of disable, require, verify-ca, verify-full',
    ])
  })

  it('verifies the server with a CA bundle only in a verifying mode', () => {
    const ca = path.join(serviceDir('config-ca'), 'ca.pem')
    writeFileSync(ca, 'CERTIFICATE')
    const environment = { DATABASE_URL: 'postgres://app@db/helpdesk', DATABASE_SSL_ROOT_CERT: ca }
    expect(parsed((p) => parseDatabase(environment, p)).problems).toEqual([
      'DATABASE_SSL_ROOT_CERT: needs DATABASE_SSL_MODE verify-ca or verify-full',
    ])
    const verified = parsed((p) =>
      parseDatabase({ ...environment, DATABASE_SSL_MODE: 'verify-ca' }, p),
    ).value
    const ssl = pgConnection(verified as NonNullable<typeof verified>).ssl
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: 'CERTIFICATE' })
    // verify-ca checks the chain, not the host name, as libpq does.
    expect(ssl?.checkServerIdentity?.('db', {} as never)).toBeUndefined()
  })

  it('survives a round trip through one URL (how the backup engine hands it to migrations)', () => {
    const settings = {
      host: '::1',
      port: 5433,
      database: 'help desk',
      user: 'a@b',
      password: 'p/w:?',
      sslMode: 'verify-full' as const,
      sslRootCert: '/etc/ca.pem',
    }
    expect(parsed((p) => parseDatabaseUrl(databaseUrl(settings), 'url', p))).toEqual({
      value: settings,
      problems: [],
    })
  })
})

describe('Redis', () => {
  it('is in memory without REDIS_*, a URL otherwise, TLS as asked', () => {
    expect(parsed((p) => parseRedis({}, p))).toEqual({ value: null, problems: [] })
    expect(
      parsed((p) => parseRedis({ REDIS_HOST: 'r', REDIS_PASSWORD: 's/x', REDIS_TLS: 'true' }, p)),
    ).toEqual({ value: { url: 'rediss://:s%2Fx@r:6379', tls: {} }, problems: [] })
    expect(parsed((p) => parseRedis({ REDIS_USERNAME: 'x' }, p)).problems).toEqual([
      'REDIS_HOST: required when REDIS_USERNAME, REDIS_PASSWORD or REDIS_TLS* are set',
    ])
  })

  it('signs in as an ACL user when REDIS_USERNAME is set, the default user otherwise', () => {
    expect(parsed((p) => parseRedis({ REDIS_HOST: 'r', REDIS_USERNAME: 'help desk' }, p))).toEqual({
      value: { url: 'redis://help%20desk@r:6379' },
      problems: [],
    })
    expect(
      parsed((p) =>
        parseRedis({ REDIS_HOST: 'r', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'p@ss' }, p),
      ),
    ).toEqual({ value: { url: 'redis://app:p%40ss@r:6379' }, problems: [] })
  })
})

describe('S3 buckets', () => {
  it('read the attachments and the backup bucket by their own names, alike', () => {
    expect(
      parsed((p) =>
        parseS3(
          { S3_BUCKET: 'files', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
          S3_VARIABLES,
          p,
        ),
      ),
    ).toEqual({
      value: {
        bucket: 'files',
        region: 'us-east-1',
        forcePathStyle: false,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      },
      problems: [],
    })
    expect(
      parsed((p) =>
        parseS3(
          { BACKUP_S3_REGION: 'eu-west-1', BACKUP_S3_ACCESS_KEY_ID: 'a' },
          BACKUP_S3_VARIABLES,
          p,
        ),
      ).problems,
    ).toEqual([
      'BACKUP_S3_SECRET_ACCESS_KEY: set both BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY, or neither',
      'BACKUP_S3_BUCKET: required when BACKUP_S3_REGION or BACKUP_S3_ENDPOINT is set',
    ])
  })
})
