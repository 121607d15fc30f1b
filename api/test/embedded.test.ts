// Embedded mode as `make run` uses it: the real `helpdesk serve` with no database, Redis or
// S3 settings; PGlite on a local socket, sessions in memory, attachments in the data dir.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  HELPDESK_CLI,
  killServerProcesses,
  logLines,
  startServerProcess,
} from './support/process.ts'

afterEach(killServerProcesses)

describe('embedded mode', () => {
  const dataDir = serviceDir('helpdesk-embedded')
  const environment = {
    HELPDESK_DATA_DIR: dataDir,
    HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
  }

  it('serves with no servers at all and keeps its data across a restart', async () => {
    const first = await startServerProcess(HELPDESK_CLI, environment, ['serve'])
    expect(first.stdout()).toMatch(/listening on port \d+: http:\/\/localhost:\d+/)
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200)
    // Anonymous callers learn up or down; the metrics port tells the rest.
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, storage: { status: 'up' } },
    })
    expect((await fetch(`${first.url}/metrics`)).status).toBe(404)
    expect(first.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(await (await fetch(`${first.metricsUrl}/healthz`)).json()).toMatchObject({
      status: 'ok',
      checks: {
        database: { status: 'up', mode: 'embedded', schema: { current: true } },
        redis: { status: 'up', mode: 'memory' },
        storage: { status: 'up', mode: 'local', location: `file://${dataDir}/attachments` },
      },
    })
    const instance = await (await fetch(`${first.url}/api/v1/instance`)).json()
    expect(logLines(first.stdout()).find((line) => line.msg === 'database migrated')).toBeDefined()

    // No password was given: one is generated, printed once, and signs in.
    const created = /First admin created: admin@example.com with the password (\S+)/.exec(
      first.stdout(),
    )
    expect(created).not.toBeNull()
    const login = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: created?.[1] }),
    })
    expect(login.status).toBe(200)
    expect(await login.json()).toMatchObject({ user: { role: 'admin', mfaEnabled: false } })

    // A second process on the same data would corrupt it: refused, clearly.
    const second = await startServerProcess(HELPDESK_CLI, environment, ['serve']).catch(
      (error: Error) => error,
    )
    expect(second).toBeInstanceOf(Error)
    expect((second as Error).message).toMatch(/exited with 1/)
    expect((second as Error).message).toContain(
      `the embedded database in ${dataDir}/postgres is in use by process ${first.child.pid}`,
    )

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(existsSync(path.join(dataDir, 'postgres', 'helpdesk.lock'))).toBe(false)

    const restarted = await startServerProcess(HELPDESK_CLI, environment, ['serve'])
    expect(restarted.stdout()).not.toMatch(/First admin|password/)
    expect(await (await fetch(`${restarted.url}/api/v1/instance`)).json()).toEqual(instance)
    expect(
      logLines(restarted.stdout()).find((line) => line.msg === 'database migrated'),
    ).toBeUndefined()
    restarted.child.kill('SIGINT')
    expect(await restarted.exited).toBe(0)
  })
})
