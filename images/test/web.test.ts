// The web image: the app and the security headers from web/nginx.conf, the /api/ proxy to a
// real API container, configuration validated at start, the user it runs as, and a clean
// stop on SIGTERM and on its stop signal.

import { freePort, testServices } from '@helpdesk/harness'
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { seedSecurityHeaders } from '../../web/scripts/nginx.ts'
import { apiKeysAndMetrics } from './support/app-keys.ts'
import {
  type Container,
  imageConfig,
  removeAbandonedContainers,
  requireImage,
  runToCompletion,
  startContainer,
  waitForStatus,
} from './support/podman.ts'

let web: string
let api: string
const running: Container[] = []

beforeAll(async () => {
  web = await requireImage('web')
  api = await requireImage('api')
  await removeAbandonedContainers()
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((container) => container.remove()))
})

async function startWeb(env: Record<string, string>): Promise<Container> {
  const container = await startContainer(web, { env })
  running.push(container)
  return container
}

describe('the web image', () => {
  it('serves the app with the seed security headers, as UID 10001, and exits 0 on SIGTERM', async () => {
    const port = await freePort()
    const container = await startWeb({ PORT: String(port), API_UPSTREAM: 'http://127.0.0.1:9' })
    await waitForStatus(container, `http://127.0.0.1:${port}/`, 200)

    const index = await fetch(`http://127.0.0.1:${port}/`)
    expect(index.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await index.text()).toMatch(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/)
    const route = await fetch(`http://127.0.0.1:${port}/tickets/42`)
    expect(route.status).toBe(200)
    for (const response of [index, route]) {
      for (const [name, value] of Object.entries(seedSecurityHeaders())) {
        expect({ name, value: response.headers.get(name) }).toEqual({ name, value })
      }
    }
    expect(new Set(await container.processUids())).toEqual(new Set([10001]))

    await container.signal('SIGTERM')
    expect(await container.exitCode(30_000)).toBe(0)
  })

  it('proxies /api/ and /healthz to the API container named by API_UPSTREAM', async () => {
    const s3 = testServices.s3()
    const apiPort = await freePort()
    const env = {
      PORT: String(apiPort),
      DATABASE_URL: await testServices.postgres().createDatabase('web'),
      REDIS_URL: testServices.redis().url,
      S3_BUCKET: await s3.createBucket('web'),
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    }
    expect(await runToCompletion(api, { env, args: ['migrate'] })).toMatchObject({ exitCode: 0 })
    const keys = await apiKeysAndMetrics()
    const apiContainer = await startContainer(api, {
      env: { ...env, ...keys.env },
      volumes: keys.volumes,
    })
    running.push(apiContainer)
    await waitForStatus(apiContainer, `http://127.0.0.1:${apiPort}/readyz`, 200)

    const port = await freePort()
    const container = await startWeb({
      PORT: String(port),
      API_UPSTREAM: `http://127.0.0.1:${apiPort}`,
    })
    await waitForStatus(container, `http://127.0.0.1:${port}/healthz`, 200)
    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.headers.get('content-type')).toMatch(/json/)
    const missing = await fetch(`http://127.0.0.1:${port}/api/v1/no-such-route`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('stops gracefully on its stop signal', async () => {
    const { StopSignal } = await imageConfig(web)
    expect(StopSignal).toBe('SIGQUIT')
    const port = await freePort()
    const container = await startWeb({ PORT: String(port), API_UPSTREAM: 'http://127.0.0.1:9' })
    await waitForStatus(container, `http://127.0.0.1:${port}/`, 200)
    await container.signal('SIGQUIT')
    expect(await container.exitCode(30_000)).toBe(0)
  })

  it('refuses an API_UPSTREAM that could rewrite its configuration, naming the problem', async () => {
    const { exitCode, output } = await runToCompletion(web, {
      env: { API_UPSTREAM: 'http://api:8080; return 200 owned' },
    })
    expect(exitCode).toBe(64)
    expect(output).toMatch(/API_UPSTREAM must be scheme:\/\/host\[:port\]/)
  })
})
