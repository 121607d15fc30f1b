import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type AppOptions, createApp, type HelpdeskApp } from './app.ts'
import type { Config } from './config.ts'

export interface RunningServer {
  app: HelpdeskApp
  server: Server
  /** e.g. http://127.0.0.1:8080 */
  url: string
  /** The metrics port's server, e.g. http://127.0.0.1:9464 (/metrics, /healthz). */
  metricsUrl: string
  /** Drains and closes; resolves when everything is closed. Safe to call twice. */
  shutdown(): Promise<void>
}

/** How often draining checks whether the last in-flight request has finished. */
const DRAIN_POLL_MS = 25

export async function startServer(
  config: Config,
  options: AppOptions = {},
): Promise<RunningServer> {
  const app = await createApp(config, options)
  const server = createServer(app.callback())
  // Longer than the usual 60 s idle timeout of load balancers, so they close first.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  const metricsServer = createServer(app.metricsCallback())
  try {
    server.listen(config.port)
    await once(server, 'listening')
    metricsServer.listen(config.metrics.port, config.metrics.host)
    await once(metricsServer, 'listening')
  } catch (error) {
    server.close()
    await app.close()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const metricsPort = (metricsServer.address() as AddressInfo).port
  let shutdown: Promise<void> | undefined
  return {
    app,
    server,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    shutdown: () => {
      // Scrapes go on while requests drain; the metrics port closes last.
      shutdown ??= drain(app, server, config.shutdownGraceMs).finally(() => {
        metricsServer.closeAllConnections()
        metricsServer.close()
      })
      return shutdown
    },
  }
}

/**
 * SIGTERM: readiness fails at once, idle keep-alive connections close, every response from
 * now on carries `Connection: close`, in-flight requests get up to `graceMs` to finish; only
 * then is the listener closed and the connections that remain cut.
 */
async function drain(app: HelpdeskApp, server: Server, graceMs: number): Promise<void> {
  app.beginShutdown()
  app.services.logger.info(
    { inFlight: app.inFlight(), graceMs },
    'shutting down: readiness off, draining in-flight requests',
  )
  server.closeIdleConnections()
  const deadline = Date.now() + graceMs
  while (app.inFlight() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS))
    server.closeIdleConnections()
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  await closed
  await app.close()
  app.services.logger.info('shut down')
}
