// The load the cluster tests put on a release: a customer reading their tickets and filing
// new ones through a Service, counting every answer. A 503 with Retry-After is what the API
// promises while a dependency is down; it is counted apart from failures where a test allows it.
import { randomUUID } from 'node:crypto'
import type { ApiSession } from '../../browser/support/api.ts'
import { type Load, type LoadStep, startLoad } from './load.ts'

export class UnavailableError extends Error {}

/** Ticket ids the API acknowledged (201), in order. */
export type Acknowledged = string[]

/**
 * A keep-alive connection the server closed (a pod draining, nginx quitting) just as a request
 * left on it: the request never reached the application. Browsers send it again on a new
 * connection, and so does the load, once: GETs are safe to repeat and every POST carries an
 * Idempotency-Key, so a repeat can never file a ticket twice. Repeats are counted and reported.
 */
const CONNECTION_CLOSED = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'])

async function sendOnce(send: () => Promise<Response>, onResend: () => void): Promise<Response> {
  try {
    return await send()
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code
    if (!code || !CONNECTION_CLOSED.has(code)) throw error
    onResend()
    return send()
  }
}

/** Each load's clients get addresses of their own: two loads at once are different people. */
let nextSubnet = 0

/**
 * Every fifth request files a ticket, the others list the customer's tickets, about 8
 * requests a second per client. `tolerate503` counts a 503 that carries Retry-After as
 * "unavailable" instead of failing.
 */
export function customerLoad(
  base: string,
  session: ApiSession,
  { tolerate503 = false, clients = 4 } = {},
): { load: Load; acknowledged: Acknowledged; unavailable: () => number; resent: () => number } {
  const acknowledged: Acknowledged = []
  let unavailable = 0
  let resent = 0
  const keys = randomUUID()
  const subnet = nextSubnet++
  const step: LoadStep = async (client, sequence) => {
    const write = sequence % 5 === 4
    const send = () =>
      fetch(`${base}/api/v1/tickets${write ? '' : '?limit=10'}`, {
        method: write ? 'POST' : 'GET',
        headers: session.headers({
          // One address per client, as distinct people behind the ingress: the API limits each.
          'X-Forwarded-For': `10.99.${subnet}.${client + 1}`,
          ...(write
            ? {
                'Content-Type': 'application/json',
                'Idempotency-Key': `${keys}-${client}-${sequence}`,
              }
            : {}),
        }),
        body: write
          ? JSON.stringify({ subject: `Load ${client}-${sequence}`, body: 'Under load.' })
          : undefined,
      })
    const response = await sendOnce(send, () => resent++)
    const text = await response.text()
    if (response.ok) {
      if (write) acknowledged.push((JSON.parse(text) as { id: string }).id)
      return
    }
    if (tolerate503 && response.status === 503 && response.headers.get('retry-after')) {
      unavailable++
      return
    }
    throw new Error(
      `${response.status} ${write ? 'POST' : 'GET'} /api/v1/tickets ${text.slice(0, 80)}`,
    )
  }
  return {
    load: startLoad(step, { clients }),
    acknowledged,
    unavailable: () => unavailable,
    resent: () => resent,
  }
}
