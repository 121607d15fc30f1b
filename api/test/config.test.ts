import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DatabaseSettings, pgConnection } from '@helpdesk/config'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { type Config, ConfigError, loadConfig } from '../src/config.ts'

const cwd = '/srv/helpdesk'

function connectionOf(config: Config): DatabaseSettings {
  if (config.database.kind !== 'external') throw new Error('expected an external database')
  return config.database.connection
}

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment, cwd)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('the configuration was accepted')
}

describe('loadConfig', () => {
  it('defaults to embedded mode on port 8080', () => {
    const config = loadConfig({}, cwd)
    expect(config).toMatchObject({
      port: 8080,
      logLevel: 'info',
      publicUrl: 'http://localhost:8080',
      corsOrigins: [],
      cspConnectSrc: [],
      trustProxy: false,
      shutdownGraceMs: 20_000,
      database: { kind: 'embedded', dataDir: '/srv/helpdesk/data/postgres', poolMax: 10 },
      redis: null,
      s3: null,
      dataDir: '/srv/helpdesk/data',
      maxAttachmentBytes: 26_214_400,
    })
  })

  it('reads the database and Redis from discrete variables (passwords from Secrets)', () => {
    const config = loadConfig(
      {
        DATABASE_HOST: 'db.internal',
        DATABASE_PORT: '6432',
        DATABASE_NAME: 'helpdesk',
        DATABASE_USER: 'app',
        DATABASE_PASSWORD: 'p@ss/word',
        DATABASE_SSL_MODE: 'require',
        DATABASE_POOL_MAX: '25',
        REDIS_HOST: 'redis.internal',
        REDIS_PASSWORD: 's3cret',
        REDIS_TLS: 'true',
      },
      cwd,
    )
    expect(config.database).toEqual({
      kind: 'external',
      connection: {
        host: 'db.internal',
        port: 6432,
        database: 'helpdesk',
        user: 'app',
        password: 'p@ss/word',
        sslMode: 'require',
      },
      poolMax: 25,
    })
    expect(config.redis).toEqual({ url: 'rediss://:s3cret@redis.internal:6379', tls: {} })
  })

  it('signs in to Redis as an ACL user when REDIS_USERNAME is set', () => {
    const config = loadConfig(
      { REDIS_HOST: 'redis.internal', REDIS_USERNAME: 'help desk', REDIS_PASSWORD: 's3cret' },
      cwd,
    )
    expect(config.redis).toEqual({ url: 'redis://help%20desk:s3cret@redis.internal:6379' })
  })

  it('reads lists, S3 settings and the bootstrap admin', () => {
    const config = loadConfig(
      {
        HELPDESK_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
        HELPDESK_CSP_CONNECT_SRC: 'https://api.example.com  wss:',
        HELPDESK_TRUST_PROXY: 'true',
        S3_BUCKET: 'attachments',
        S3_ENDPOINT: 'http://minio:9000',
        S3_FORCE_PATH_STYLE: '1',
        AWS_ACCESS_KEY_ID: 'key',
        AWS_SECRET_ACCESS_KEY: 'secret',
        HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      },
      cwd,
    )
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173'])
    expect(config.cspConnectSrc).toEqual(['https://api.example.com', 'wss:'])
    expect(config.trustProxy).toBe(true)
    expect(config.s3).toEqual({
      bucket: 'attachments',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    })
    expect(config.bootstrapAdmin).toEqual({ email: 'admin@example.com' })
  })

  it("leaves S3 to the SDK's default chain without keys (IRSA, Pod Identity, workload identity)", () => {
    const config = loadConfig({ S3_BUCKET: 'attachments', S3_REGION: 'eu-west-1' }, cwd)
    expect(config.s3).toEqual({ bucket: 'attachments', region: 'eu-west-1', forcePathStyle: false })
    expect(problemsOf({ S3_BUCKET: 'attachments', AWS_ACCESS_KEY_ID: 'only-one' })).toContainEqual(
      expect.stringContaining('set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither'),
    )
  })

  it('lists every problem of a bad configuration at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      HELPDESK_CORS_ORIGINS: 'https://ok.example.com,https://bad.example.com/path,*',
      HELPDESK_CSP_CONNECT_SRC: "'unsafe-eval'",
      HELPDESK_TRUST_PROXY: 'maybe',
      DATABASE_URL: 'mysql://db/helpdesk',
      DATABASE_POOL_MAX: '0',
      REDIS_URL: 'http://redis',
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'not-an-email',
      HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: 'short',
      S3_REGION: 'eu-west-1',
    })
    // The API's own variables first, then the connections (@helpdesk/config).
    expect(problems).toEqual([
      'PORT: must be an integer from 0 to 65535',
      expect.stringMatching(/^LOG_LEVEL: /),
      expect.stringMatching(/^HELPDESK_CORS_ORIGINS\.1: must be an origin/),
      expect.stringMatching(/^HELPDESK_CORS_ORIGINS\.2: must be an origin/),
      expect.stringMatching(/^HELPDESK_CSP_CONNECT_SRC\.0: must be an http\(s\)/),
      'HELPDESK_TRUST_PROXY: must be true or false',
      'DATABASE_POOL_MAX: must be an integer from 1 to 500',
      'HELPDESK_BOOTSTRAP_ADMIN_EMAIL: must be an email address',
      'HELPDESK_BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters',
      'DATABASE_URL: must be a postgres://user[:password]@host[:port]/database URL',
      'REDIS_URL: must be a redis:// or rediss:// URL',
      'S3_BUCKET: required when S3_REGION or S3_ENDPOINT is set',
    ])
  })

  it('reports inconsistent combinations', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://db/helpdesk',
        DATABASE_HOST: 'db',
        REDIS_PASSWORD: 'x',
        S3_REGION: 'eu-west-1',
        HELPDESK_WEB_DIR: '/nonexistent',
        DATABASE_SSL_ROOT_CERT: '/nonexistent/ca.pem',
      }),
    ).toEqual([
      'DATABASE_URL: set either DATABASE_URL or the DATABASE_HOST/NAME/USER variables',
      'DATABASE_SSL_ROOT_CERT: cannot read /nonexistent/ca.pem',
      'REDIS_HOST: required when REDIS_USERNAME, REDIS_PASSWORD or REDIS_TLS* are set',
      'S3_BUCKET: required when S3_REGION or S3_ENDPOINT is set',
      'HELPDESK_WEB_DIR: /nonexistent has no index.html',
    ])
    expect(problemsOf({ DATABASE_HOST: 'db' })).toEqual([
      'DATABASE_NAME: required when the discrete DATABASE_* variables are used',
      'DATABASE_USER: required when the discrete DATABASE_* variables are used',
    ])
  })

  it('takes sslmode from DATABASE_URL unless DATABASE_SSL_MODE says otherwise', () => {
    const url = 'postgres://app@db/helpdesk?sslmode=verify-full'
    expect(loadConfig({ DATABASE_URL: url }, cwd).database).toMatchObject({
      connection: { sslMode: 'verify-full' },
    })
    const disabled = loadConfig({ DATABASE_URL: url, DATABASE_SSL_MODE: 'disable' }, cwd)
    expect(disabled.database).toMatchObject({ connection: { sslMode: 'disable' } })
    expect(pgConnection(connectionOf(disabled))).not.toHaveProperty('ssl')
    expect(problemsOf({ DATABASE_URL: 'postgres://app@db/x?sslmode=prefer' })).toEqual([
      'DATABASE_URL: sslmode must be one of disable, require, verify-ca, verify-full',
    ])
  })

  it('verifies the database certificate chain with a CA file', () => {
    const dir = serviceDir('config')
    writeFileSync(path.join(dir, 'ca.pem'), 'CERTIFICATE')
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://app@db/helpdesk',
        DATABASE_SSL_MODE: 'verify-full',
        DATABASE_SSL_ROOT_CERT: path.join(dir, 'ca.pem'),
      },
      cwd,
    )
    expect(pgConnection(connectionOf(config)).ssl).toMatchObject({
      rejectUnauthorized: true,
      ca: 'CERTIFICATE',
    })
  })
})

describe('helpdesk with a bad configuration', () => {
  it('stops before serving, listing every problem, with exit code 78', () => {
    const cli = fileURLToPath(new URL('../src/cli/helpdesk.ts', import.meta.url))
    const result = spawnSync(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, PORT: '99999', REDIS_URL: 'nope' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(result.status).toBe(78)
    expect(result.stderr).toBe(
      'helpdesk: Invalid configuration:\n' +
        '  - PORT: must be an integer from 0 to 65535\n' +
        '  - REDIS_URL: must be a redis:// or rediss:// URL\n',
    )
    expect(result.stdout).toBe('')
  })
})

describe('mail configuration', () => {
  it('has no SMTP server by default: mail stays in the outbox', () => {
    expect(loadConfig({}, cwd)).toMatchObject({ smtp: null, mailChannels: [] })
  })

  it('takes the port from the security unless given, and sign-in only as a pair', () => {
    expect(loadConfig({ SMTP_HOST: 'smtp.example.test' }, cwd).smtp).toEqual({
      host: 'smtp.example.test',
      port: 587,
      security: 'starttls',
    })
    expect(
      loadConfig(
        {
          SMTP_HOST: 'smtp.example.test',
          SMTP_SECURITY: 'tls',
          SMTP_USER: 'helpdesk',
          SMTP_PASSWORD: 'secret',
        },
        cwd,
      ).smtp,
    ).toEqual({
      host: 'smtp.example.test',
      port: 465,
      security: 'tls',
      auth: { user: 'helpdesk', password: 'secret' },
    })
    expect(problemsOf({ SMTP_HOST: 'smtp.example.test', SMTP_USER: 'helpdesk' })).toEqual([
      'SMTP_PASSWORD: set both SMTP_USER and SMTP_PASSWORD, or neither',
    ])
    expect(
      problemsOf({
        SMTP_HOST: 'smtp.example.test',
        SMTP_SECURITY: 'none',
        SMTP_USER: 'helpdesk',
        SMTP_PASSWORD: 'secret',
      }),
    ).toEqual(['SMTP_SECURITY: none would send SMTP_PASSWORD in the clear; use starttls or tls'])
    expect(problemsOf({ SMTP_PASSWORD: 'secret' })).toEqual(['SMTP_PASSWORD: set SMTP_HOST too'])
  })

  const channels = JSON.stringify([
    { name: 'support-eu', address: 'Support@Acme.test', host: 'imap.acme.test', user: 'support' },
  ])

  it('reads channels with their passwords from variables, or from a mounted Secret', () => {
    const expected = [
      {
        name: 'support-eu',
        address: 'support@acme.test',
        host: 'imap.acme.test',
        port: 993,
        security: 'tls',
        user: 'support',
        password: 'imap secret',
        mailbox: 'INBOX',
        mode: 'idle',
        pollSeconds: 60,
      },
    ]
    const fromVariables = loadConfig(
      {
        HELPDESK_MAIL_CHANNELS: channels,
        HELPDESK_MAIL_CHANNEL_SUPPORT_EU_PASSWORD: 'imap secret',
      },
      cwd,
    )
    expect(fromVariables.mailChannels).toEqual(expected)
    const dir = serviceDir('mail-channels')
    writeFileSync(path.join(dir, 'HELPDESK_MAIL_CHANNELS'), channels)
    writeFileSync(path.join(dir, 'HELPDESK_MAIL_CHANNEL_SUPPORT_EU_PASSWORD'), 'imap secret\n')
    writeFileSync(path.join(dir, 'unrelated'), 'ignored')
    const fromFiles = loadConfig({ HELPDESK_MAIL_CHANNELS_DIR: dir }, cwd)
    expect(fromFiles.mailChannels).toEqual(expected)
  })

  it('names what is wrong with a channel', () => {
    expect(problemsOf({ HELPDESK_MAIL_CHANNELS: channels })).toEqual([
      'HELPDESK_MAIL_CHANNEL_SUPPORT_EU_PASSWORD: required for mail channel support-eu',
    ])
    expect(problemsOf({ HELPDESK_MAIL_CHANNELS: '{' })).toEqual([
      'HELPDESK_MAIL_CHANNELS: must be a JSON array of channels',
    ])
    expect(problemsOf({ HELPDESK_MAIL_CHANNELS_DIR: '/nonexistent/channels' })).toEqual([
      'HELPDESK_MAIL_CHANNELS_DIR: cannot read /nonexistent/channels',
    ])
  })
})
