// What someone trying Helpdesk meets in the first hour (issue 19): logs a person can read at
// a terminal, the first admin's credentials where they cannot be missed, the port it really
// listens on, an unreachable database said once, `--help` everywhere, and a locked data
// directory explained in one line.
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { serviceDir } from '@helpdesk/harness'
import { afterEach, describe, expect, it } from '@jest/globals'
import { commands } from '../src/cli/commands.ts'
import { loadConfig } from '../src/config.ts'
import { formatLine } from '../src/observability/pretty.ts'
import { startTestApp } from './support/app.ts'
import {
  HELPDESK_CLI,
  killServerProcesses,
  runHelpdesk,
  startServerProcess,
} from './support/process.ts'
import { until } from './support/wait.ts'

afterEach(killServerProcesses)

describe('logs', () => {
  it('are for a person at a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(loadConfig({}, '/srv', { terminal: true }).logFormat).toBe('pretty')
    expect(loadConfig({}, '/srv', { terminal: false }).logFormat).toBe('json')
    expect(loadConfig({ LOG_FORMAT: 'json' }, '/srv', { terminal: true }).logFormat).toBe('json')
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, '/srv').logFormat).toBe('pretty')
  })

  it('read as one line each: time, level, message and facts; a request as its line', () => {
    const at = '2026-12-06T20:41:26.898Z'
    expect(
      formatLine(
        JSON.stringify({ level: 'warn', time: at, service: 'helpdesk-api', msg: 'slow', ms: 12 }),
      ),
    ).toBe('20:41:26 WARN  slow  ms=12')
    expect(
      formatLine(
        JSON.stringify({
          level: 'info',
          time: at,
          access: true,
          method: 'GET',
          path: '/api/v1/tickets',
          status: 200,
          responseTimeMs: 4.2,
          msg: 'request',
        }),
      ),
    ).toBe('20:41:26 INFO  GET /api/v1/tickets 200 4.2 ms')
    expect(
      formatLine(
        JSON.stringify({
          level: 'error',
          time: at,
          msg: 'boom',
          err: { stack: 'Error: x\n  at y' },
        }),
      ),
    ).toBe('20:41:26 ERROR boom\n    Error: x\n      at y')
  })
})

describe('helpdesk serve', () => {
  it('as make run on a terminal: pretty lines, the first admin in a box, the real port', async () => {
    const environment = {
      HELPDESK_DATA_DIR: serviceDir('helpdesk-make-run'),
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
    }
    const server = await startServerProcess(
      HELPDESK_CLI,
      { ...environment, LOG_FORMAT: 'pretty', PORT: '0' },
      ['serve'],
    )
    const output = server.stdout()
    expect(output).toMatch(/┌─+┐\n│ First admin created +│/)
    expect(output).toMatch(/│ {3}email {5}admin@example\.com +│/)
    expect(output).toMatch(/│ {3}password {2}\S{20,} +│/)
    expect(output).toMatch(/\d\d:\d\d:\d\d INFO {2}database migrated/)
    expect(output.split('\n').filter((line) => line.startsWith('{'))).toEqual([])
    const port = new URL(server.url).port
    expect(port).not.toBe('0')
    expect(output).toContain(`listening on port ${port}: http://localhost:${port}\n`)

    // While it runs, the data directory is its own: a second process is refused in one line.
    for (const args of [['seed', '--tickets', '1'], ['serve']]) {
      const refused = await runHelpdesk(args, { ...environment, PORT: '0' })
      expect({ args, code: refused.code }).toEqual({ args, code: 1 })
      expect(refused.stderr).toBe(
        `helpdesk ${args[0]}: the embedded database in ${environment.HELPDESK_DATA_DIR}/postgres is in use by process ${server.child.pid} (another helpdesk or make run); stop it first\n`,
      )
    }
  })

  it('says once, in one line without a stack, that the database cannot be reached', async () => {
    // A "database" that takes each connection and hangs up: as refused as it gets, countable.
    const attempts = { count: 0 }
    const dead = createServer((socket) => {
      attempts.count++
      socket.destroy()
    })
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    const { port } = dead.address() as AddressInfo
    const api = await startTestApp(
      { DATABASE_URL: `postgres://helpdesk@127.0.0.1:${port}/helpdesk` },
      { jobs: { pollMs: 10, retryMs: 10 }, migrate: false },
    )
    try {
      // The worker has tried again and again by now.
      await until(() => attempts.count >= 5, 20)
      const said = api.logs.filter(
        (line) => line.msg === 'the database cannot be reached; retrying',
      )
      expect(said).toHaveLength(1)
      expect(said[0]).toMatchObject({ level: 'warn', reason: expect.any(String) })
      expect(JSON.stringify(api.logs)).not.toContain('    at ')
    } finally {
      await api.close()
      dead.close()
    }
  })
})

describe('every helpdesk command', () => {
  it('answers --help with its usage', async () => {
    const names = Object.keys(commands)
    const answers = await Promise.all(names.map((name) => runHelpdesk([name, '--help'], {})))
    for (const [index, help] of answers.entries()) {
      const name = names[index] as string
      expect({ name, code: help.code, stderr: help.stderr }).toEqual({ name, code: 0, stderr: '' })
      expect(help.stdout).toContain('Usage: helpdesk')
      expect(help.stdout).toContain(name)
    }
  })
})
