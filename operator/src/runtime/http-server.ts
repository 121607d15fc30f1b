import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OperatorMetrics } from './metrics.ts'

export interface Health {
  /** False once shutdown has begun: the process should not be considered alive any more. */
  healthy: boolean
  [detail: string]: unknown
}

/**
 * /healthz (liveness: JSON, 200 or 503) and /metrics (Prometheus text). Nothing else is
 * served; the port is meant for the kubelet and Prometheus only.
 */
export class HealthServer {
  readonly #server: Server

  constructor(metrics: OperatorMetrics, health: () => Health) {
    this.#server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname
      if (request.method !== 'GET') {
        response.writeHead(405, { allow: 'GET' }).end()
      } else if (path === '/healthz') {
        const state = health()
        response
          .writeHead(state.healthy ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(state))
      } else if (path === '/metrics') {
        metrics.registry.metrics().then(
          (text) =>
            response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (error: Error) => response.writeHead(500).end(error.message),
        )
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
