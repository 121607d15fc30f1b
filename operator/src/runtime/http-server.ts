import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OperatorMetrics } from './metrics.ts'
import type { MetricsAuthorizer } from './metrics-auth.ts'

export interface Health {
  /** False once shutdown has begun: the process should not be considered alive any more. */
  healthy: boolean
  [detail: string]: unknown
}

export interface Probes {
  /** Liveness: the process works (503 once shutdown began). */
  health: () => Health
  /** Readiness: the replica counts (standing by, or leading with synced caches). */
  ready: () => boolean
}

/**
 * /healthz (liveness), /readyz (readiness) and /metrics (Prometheus text, for a token the
 * API server allows to read it, unless `authorize` is left out). Nothing else is served;
 * the port is meant for the kubelet and Prometheus only.
 */
export class HealthServer {
  readonly #server: Server

  constructor(metrics: OperatorMetrics, probes: Probes, authorize?: MetricsAuthorizer) {
    this.#server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname
      if (request.method !== 'GET') {
        response.writeHead(405, { allow: 'GET' }).end()
      } else if (path === '/healthz') {
        const state = probes.health()
        response
          .writeHead(state.healthy ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(state))
      } else if (path === '/readyz') {
        const ready = probes.ready()
        response
          .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
          .end(ready ? 'ready' : 'not ready')
      } else if (path === '/metrics') {
        const allowed = authorize ? authorize(request.headers.authorization) : Promise.resolve(200)
        allowed
          .then((decision) => {
            if (decision !== 200) {
              response.writeHead(decision, { 'www-authenticate': 'Bearer' }).end()
              return
            }
            return metrics.registry.metrics().then((text) => {
              response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text)
            })
          })
          .catch((error: Error) => response.writeHead(500).end(error.message))
      } else {
        response.writeHead(404).end()
      }
    })
  }

  /** Listens on the port (0 picks a free one) and returns the port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => resolve((this.#server.address() as AddressInfo).port))
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeAllConnections()
    })
  }
}
