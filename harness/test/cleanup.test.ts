import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import pg from 'pg'
import {
  reapAbandonedRoots,
  serviceDir,
  sessionRoot,
  startPostgres,
  startRedis,
} from '../src/index.ts'

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

/** Waits for `check` to hold; the test's timeout, not a deadline here, bounds the wait. */
async function eventually(check: () => Promise<boolean> | boolean) {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100))
  return true
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
      await redis.freeze()
      const answer = await fetch(`http://127.0.0.1:${redis.port}/`, {
        signal: AbortSignal.timeout(500),
      }).catch((error: Error) => error.name)
      expect(answer).toBe('TimeoutError')
      await redis.thaw()
      await redis.down()
      expect(await accepts(redis.port)).toBe(false)
      await redis.up()
      expect(await accepts(redis.port)).toBe(true)
    } finally {
      await redis.stop()
    }
  })

  it('freezes Postgres including the backends of open connections, and stops it while frozen', async () => {
    const postgres = await startPostgres()
    const client = new pg.Client({ connectionString: postgres.url() })
    await client.connect()
    try {
      await client.query('SELECT 1')
      await postgres.freeze()
      const outcome = await Promise.race([
        client.query('SELECT 1').then(() => 'answered'),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 500)),
      ])
      expect(outcome).toBe('hung')
      await postgres.thaw()
      expect((await client.query('SELECT 2 AS two')).rows[0]).toEqual({ two: 2 })
      await postgres.freeze()
    } finally {
      client.on('error', () => {})
      void client.end().catch(() => {})
      await postgres.stop()
    }
    expect(await accepts(postgres.port)).toBe(false)
  })

  it('removes session roots whose owner died with its janitor, and only those', () => {
    const parent = serviceDir('reap')
    const root = (name: string, owner?: string) => {
      const dir = path.join(parent, `helpdesk-test-${name}`)
      mkdirSync(path.join(dir, 'postgres-x'), { recursive: true })
      if (owner !== undefined) writeFileSync(path.join(dir, '.owner'), owner)
      return dir
    }
    const ended = spawnSync('true')
    const live = readFileSync(path.join(sessionRoot(), '.owner'), 'utf8')
    const dead = root('dead', `${ended.pid}:1`)
    const reused = root('reused', `${process.pid}:1`)
    const alive = root('alive', live)
    const unowned = root('unowned')

    expect(reapAbandonedRoots(parent).sort()).toEqual([dead, reused].sort())
    expect([alive, unowned].every((dir) => existsSync(dir))).toBe(true)
  })
})
