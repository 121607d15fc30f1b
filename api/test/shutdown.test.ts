// SIGTERM against a real API process: readiness off at once, in-flight requests finish,
// keep-alive connections close, exit code 0. Requests are held in flight until the test
// releases them, and every wait is for an event: nothing depends on the machine's speed.
import { Agent, request } from 'node:http'
import { afterEach, describe, expect, it } from '@jest/globals'
import { migratedEnvironment } from './support/app.ts'
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
function get(url: string, agent?: Agent, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false, method }, (response) => {
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

/**
 * Waits until `count` requests are in flight, by the API's own gauge (read on the metrics
 * port, whose requests it does not count).
 */
async function untilInFlight(metricsUrl: string, count: number): Promise<void> {
  for (;;) {
    const metrics = (await get(`${metricsUrl}/metrics`)).body
    const gauge = /^http_requests_in_flight (\d+)$/m.exec(metrics)
    if (Number(gauge?.[1]) >= count) return
  }
}

describe('SIGTERM', () => {
  it('loses no in-flight request, turns readiness off at once and exits 0', async () => {
    const server = await startServerProcess(SERVE_WITH_FIXTURE, {
      ...(await migratedEnvironment()),
      HELPDESK_SHUTDOWN_GRACE_MS: '600000',
    })
    // An idle keep-alive connection, as a load balancer keeps them.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 })
    await get(`${server.url}/livez`, keepAlive)
    const idleSocketClosed = new Promise<void>((resolve) => {
      const sockets = Object.values(keepAlive.freeSockets).flat()
      sockets[0]?.once('close', () => resolve())
    })

    const inFlight = Array.from({ length: 5 }, () => get(`${server.url}/api/v1/held?key=a`))
    await untilInFlight(server.metricsUrl, 5)
    server.child.kill('SIGTERM')

    // Readiness turns off as soon as the signal is handled, while the five are still held.
    let readiness = await get(`${server.url}/readyz`)
    while (readiness.status === 200) readiness = await get(`${server.url}/readyz`)
    expect(readiness.status).toBe(503)
    expect(JSON.parse(readiness.body)).toMatchObject({ type: 'shutting_down' })
    expect(readiness.connection).toBe('close')
    await idleSocketClosed

    expect(
      JSON.parse((await get(`${server.url}/api/v1/release?key=a`, undefined, 'POST')).body),
    ).toEqual({ released: 5 })
    const answers = await Promise.all(inFlight)
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(answers.every((answer) => answer.body === '{"released":"a"}')).toBe(true)
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
      ...(await migratedEnvironment()),
      HELPDESK_SHUTDOWN_GRACE_MS: '500',
    })
    // Never released: only the end of the grace period can end it.
    const neverDone = get(`${server.url}/api/v1/held?key=forever`)
    await untilInFlight(server.metricsUrl, 1)
    server.child.kill('SIGTERM')
    await expect(neverDone).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(await server.exited).toBe(0)
  })

  it('SIGUSR2 (the preStop hook) turns readiness off and asks keep-alive clients to reconnect, still serving them', async () => {
    const server = await startServerProcess(SERVE_WITH_FIXTURE, {
      ...(await migratedEnvironment()),
      HELPDESK_SHUTDOWN_GRACE_MS: '10000',
    })
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 })
    expect((await get(`${server.url}/livez`, keepAlive)).connection).toBe('keep-alive')
    server.child.kill('SIGUSR2')
    const draining = async () => (await get(`${server.url}/readyz`)).status === 503
    while (!(await draining())) await new Promise((resolve) => setTimeout(resolve, 50))
    // Still answering, on the same connection, and telling the client to close it.
    const answer = await get(`${server.url}/api/v1/instance`, keepAlive)
    expect(answer.status).toBe(200)
    expect(answer.connection).toBe('close')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    keepAlive.destroy()
  })
})
