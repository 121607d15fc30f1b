// SIGTERM against a real API process: readiness off at once, in-flight requests finish,
// keep-alive connections close, exit code 0.
import { Agent, request } from 'node:http'
import { afterEach, describe, expect, it } from '@jest/globals'
import { externalEnvironment } from './support/app.ts'
import {
  killServerProcesses,
  logLines,
  SERVE_WITH_FIXTURE,
  startServerProcess,
} from './support/process.ts'

afterEach(killServerProcesses)

interface Answer {
  status: number
  connection: string | undefined
  body: string
}

/** A plain http request (fetch pools connections out of sight; here each one matters). */
function get(url: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false }, (response) => {
      let body = ''
      response.on('data', (chunk) => {
        body += chunk
      })
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          body,
        }),
      )
      response.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('SIGTERM', () => {
  it('loses no in-flight request, turns readiness off at once and exits 0', async () => {
    const server = await startServerProcess(SERVE_WITH_FIXTURE, {
      ...(await externalEnvironment()),
      HELPDESK_SHUTDOWN_GRACE_MS: '10000',
    })
    // An idle keep-alive connection, as a load balancer keeps them.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 })
    await get(`${server.url}/livez`, keepAlive)
    const idleSocketClosed = new Promise<void>((resolve) => {
      const sockets = Object.values(keepAlive.freeSockets).flat()
      sockets[0]?.once('close', () => resolve())
    })

    const inFlight = Array.from({ length: 5 }, () => get(`${server.url}/api/v1/slow?ms=1500`))
    await new Promise((resolve) => setTimeout(resolve, 300))
    server.child.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 100))

    const readiness = await get(`${server.url}/readyz`)
    expect(readiness.status).toBe(503)
    expect(JSON.parse(readiness.body)).toMatchObject({ type: 'shutting_down' })
    expect(readiness.connection).toBe('close')
    await idleSocketClosed

    const answers = await Promise.all(inFlight)
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(answers.every((answer) => answer.body === '{"waited":1500}')).toBe(true)
    expect(answers.every((answer) => answer.connection === 'close')).toBe(true)

    expect(await server.exited).toBe(0)
    const messages = logLines(server.stdout()).map((line) => line.msg)
    expect(messages).toContain('shutting down: readiness off, draining in-flight requests')
    expect(messages.at(-1)).toBe('shut down')
    await expect(get(`${server.url}/livez`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    keepAlive.destroy()
  })

  it('cuts what is still running when the grace period ends, and still exits 0', async () => {
    const server = await startServerProcess(SERVE_WITH_FIXTURE, {
      ...(await externalEnvironment()),
      HELPDESK_SHUTDOWN_GRACE_MS: '500',
    })
    const tooSlow = get(`${server.url}/api/v1/slow?ms=20000`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const signalled = Date.now()
    server.child.kill('SIGTERM')
    await expect(tooSlow).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(await server.exited).toBe(0)
    expect(Date.now() - signalled).toBeLessThan(10_000)
  })
})
