import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { startRedis } from '../src/index.ts'

const script = fileURLToPath(new URL('./fixtures/start-and-report.ts', import.meta.url))

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

describe('cleanup', () => {
  it.each(['SIGKILL', 'SIGINT'] as const)(
    'removes services and their directories when the test process dies by %s',
    async (signal) => {
      // The fixture must create (and lose) a session root of its own.
      const { HELPDESK_TEST_ROOT: _, ...env } = process.env
      const child = spawn(process.execPath, ['--no-warnings', script], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const report = await new Promise<{ root: string; ports: number[] }>((resolve, reject) => {
        child.stdout.once('data', (line: Buffer) => resolve(JSON.parse(line.toString())))
        child.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)))
      })
      expect(existsSync(report.root)).toBe(true)
      for (const port of report.ports) expect(await accepts(port)).toBe(true)

      child.kill(signal)

      expect(await eventually(() => !existsSync(report.root))).toBe(true)
      for (const port of report.ports) {
        expect(await eventually(async () => !(await accepts(port)))).toBe(true)
      }
    },
  )

  it('freezes and thaws a service, and brings it back after down/up on the same port', async () => {
    const redis = await startRedis()
    try {
      redis.freeze()
      const answer = await fetch(`http://127.0.0.1:${redis.port}/`, {
        signal: AbortSignal.timeout(500),
      }).catch((error: Error) => error.name)
      expect(answer).toBe('TimeoutError')
      redis.thaw()
      await redis.down()
      expect(await accepts(redis.port)).toBe(false)
      await redis.up()
      expect(await accepts(redis.port)).toBe(true)
    } finally {
      await redis.stop()
    }
  })
})
