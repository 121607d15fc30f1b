// Each real component, proven through the client library the product itself uses.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, describe, expect, it } from '@jest/globals'
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { Redis } from 'ioredis'
import pg from 'pg'
import { helm, launchBrowser, s3Client, testServices, toolVersions } from '../src/index.ts'

describe('Postgres through pg', () => {
  it('answers a query in a database of its own', async () => {
    const url = await testServices.postgres().createDatabase('smoke')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const { rows } = await client.query<{ version: string; db: string }>(
        'SELECT current_setting($1) AS version, current_database() AS db',
        ['server_version_num'],
      )
      expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(150000)
      expect(url.endsWith(`/${rows[0]?.db}`)).toBe(true)
    } finally {
      await client.end()
    }
  })
})

describe('Redis through ioredis', () => {
  it('answers PING and keeps a value under a private prefix', async () => {
    const redis = testServices.redis()
    const client = new Redis(redis.url, { keyPrefix: redis.keyPrefix('smoke'), lazyConnect: true })
    await client.connect()
    try {
      expect(await client.ping()).toBe('PONG')
      await client.set('greeting', 'hello')
      expect(await client.get('greeting')).toBe('hello')
      expect(await client.info('server')).toMatch(/redis_version:7\./)
    } finally {
      client.disconnect()
    }
  })
})

describe('S3 (MinIO) through @aws-sdk/client-s3', () => {
  it('puts, gets and deletes an object in a bucket of its own', async () => {
    const s3 = testServices.s3()
    const bucket = await s3.createBucket('smoke')
    const client = s3Client(s3)
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'hello' }))
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.txt' }))
      expect(await object.Body?.transformToString()).toBe('hello')
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a.txt' }))
      await expect(
        client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.txt' })),
      ).rejects.toMatchObject({ name: 'NoSuchKey' })
    } finally {
      client.destroy()
    }
  })
})

describe('kube-apiserver through @kubernetes/client-node', () => {
  it('creates, reads and deletes a ConfigMap', async () => {
    const kubernetes = testServices.kubernetes()
    const namespace = await kubernetes.createNamespace('smoke')
    const config = new KubeConfig()
    config.loadFromFile(kubernetes.kubeconfig)
    const core = config.makeApiClient(CoreV1Api)
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'greeting' }, data: { text: 'hello' } },
    })
    const read = await core.readNamespacedConfigMap({ namespace, name: 'greeting' })
    expect(read.data).toEqual({ text: 'hello' })
    await core.deleteNamespacedConfigMap({ namespace, name: 'greeting' })
    await expect(
      core.readNamespacedConfigMap({ namespace, name: 'greeting' }),
    ).rejects.toMatchObject({ code: 404 })
  })

  it('enforces RBAC for a service account without permissions', async () => {
    const kubernetes = testServices.kubernetes()
    const namespace = await kubernetes.createNamespace('rbac')
    const admin = new KubeConfig()
    admin.loadFromFile(kubernetes.kubeconfig)
    const core = admin.makeApiClient(CoreV1Api)
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'nobody' } } })
    const token = await core.createNamespacedServiceAccountToken({
      namespace,
      name: 'nobody',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    })
    const limited = new KubeConfig()
    limited.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: kubernetes.server,
          caData: Buffer.from(kubernetes.ca).toString('base64'),
        },
      ],
      users: [{ name: 'u', token: token.status?.token }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    })
    await expect(
      limited.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace }),
    ).rejects.toMatchObject({ code: 403 })
  })
})

describe('helm', () => {
  const chart = fileURLToPath(new URL('./fixtures/tiny-chart', import.meta.url))

  it('reports the pinned version', async () => {
    expect(await helm(['version', '--short'])).toContain(toolVersions().HELM_VERSION)
  })

  it('lints and renders for a current Kubernetes, not the unstamped 1.20 default', async () => {
    await helm(['lint', '--strict', chart])
    const rendered = await helm(['template', 'demo', chart])
    expect(rendered).toContain('name: demo-tiny')
    expect(rendered).not.toContain('v1.20.0')
    expect(rendered).toMatch(/kubeVersion: "v1\.(3[3-9]|[4-9]\d)\.\d+"/)
  })
})

describe('Chromium through playwright-core', () => {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html')
    response.end('<!doctype html><title>Harness</title><button>Click</button>')
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('loads a local page', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${port}/`)
      expect(await page.title()).toBe('Harness')
      expect(await page.getByRole('button').textContent()).toBe('Click')
    } finally {
      await browser.close()
    }
  })
})
