// Two API processes on the harness's Postgres and Redis, for what must cross between them
// (live news, presence): one in this test process, a second a real `helpdesk serve` child.
// Both use no Redis key prefix, so they share the bus and every key.
import { afterAll, beforeAll, expect } from '@jest/globals'
import { ApiClient } from './accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from './app.ts'
import {
  HELPDESK_CLI,
  killServerProcesses,
  type ServerProcess,
  startServerProcess,
} from './process.ts'

export interface TwoProcesses {
  /** The process in this test process (set once beforeAll ran). */
  readonly first: TestApp
  /** The same credentials, sent to the second process. */
  atSecond(client: ApiClient): ApiClient
}

/** Starts both before the file's tests and stops them after. */
export function twoProcesses(): TwoProcesses {
  let first: TestApp | undefined
  let second: ServerProcess | undefined
  beforeAll(async () => {
    const environment = await externalEnvironment()
    first = await startTestApp(environment, { redisKeyPrefix: '' })
    second = await startServerProcess(HELPDESK_CLI, environment as Record<string, string>, [
      'serve',
    ])
  })
  afterAll(async () => {
    killServerProcesses()
    await first?.close()
  })
  return {
    get first() {
      if (!first) throw new Error('the processes start in beforeAll')
      return first
    },
    atSecond(client) {
      if (!second) throw new Error('the processes start in beforeAll')
      return new ApiClient(second.url, { cookie: client.cookie, csrfToken: client.csrfToken })
    },
  }
}

/** A ticket filed by `client`, by id. */
export async function fileTicket(client: ApiClient, extra: object = {}): Promise<string> {
  const answer = await client.post('/tickets', {
    subject: 'Printer on fire',
    body: 'Help',
    ...extra,
  })
  expect(answer.status).toBe(201)
  return (answer.body as { id: string }).id
}
