// Probes and metrics for Kubernetes and Prometheus, outside /api/v1 and outside the rate
// limits (contract: docs/api.md "Operations"): probes on the public port, metrics and the
// detailed health report on a port of their own.
import Router, { type RouterMiddleware } from '@koa/router'
import { HttpError } from '../errors.ts'
import type { Metrics } from '../observability/metrics.ts'
import {
  type HealthReport,
  overallStatus,
  readinessFailures,
  STILL_STARTING,
} from '../platform/health.ts'

export const OPERATION_PATHS = new Set(['/livez', '/readyz', '/healthz', '/metrics'])

export interface OperationsOptions {
  health: () => Promise<HealthDocument>
  isShuttingDown: () => boolean
  /** True until the process has done what it must before serving (the first admin). */
  isStarting: () => boolean
}

export interface HealthDocument {
  status: 'ok' | 'degraded' | 'down'
  checks: HealthReport
  version: string
}

export function healthDocument(report: HealthReport, version: string): HealthDocument {
  return { status: overallStatus(report), checks: report, version }
}

/**
 * The public port's probes, minimal for whoever calls them: up or not, which dependency is
 * down — never addresses, paths, latencies or versions (those are on the metrics port and
 * for admins at GET /api/v1/system/health).
 */
export function operationsRouter(options: OperationsOptions): Router {
  const router = new Router()
  const probe = (path: string, handler: RouterMiddleware) =>
    router.get(path, async (ctx, next) => {
      ctx.state.routeTemplate = path
      await handler(ctx, next)
    })
  probe('/livez', (ctx) => {
    ctx.body = { status: 'ok' }
  })
  // Ready once started — Postgres and Redis answered, the schema was current, the process had
  // done its first start — and until draining. A later outage of a dependency every pod shares
  // does not take the pods out of the Service: they answer 503 with Retry-After themselves,
  // where unready pods would leave clients with refused connections, and all pods would
  // return at once on recovery. /healthz and the metrics report the dependencies.
  let started = false
  probe('/readyz', async (ctx) => {
    if (options.isShuttingDown()) {
      throw new HttpError('shutting_down', { detail: 'this process is draining after SIGTERM' })
    }
    if (!started) {
      const { checks } = await options.health()
      const failures = readinessFailures(checks)
      if (options.isStarting()) failures.push(STILL_STARTING)
      if (failures.length > 0) {
        throw new HttpError('dependency_unavailable', {
          detail: failures.map((failure) => failure.summary).join('; '),
        })
      }
      started = true
    }
    ctx.body = { status: 'ready' }
  })
  probe('/healthz', async (ctx) => {
    const { status, checks } = await options.health()
    ctx.status = status === 'down' ? 503 : 200
    ctx.body = {
      status,
      checks: Object.fromEntries(
        Object.entries(checks).map(([name, check]) => [name, { status: check.status }]),
      ),
    }
  })
  return router
}

/**
 * The metrics port (HELPDESK_METRICS_PORT), for Prometheus and operators only: the chart's
 * NetworkPolicy admits the monitoring namespace to it, never the ingress. `/healthz` here is
 * the whole report (latencies, schema, storage location, version).
 */
export function metricsRouter(options: {
  metrics: Metrics
  health: () => Promise<HealthDocument>
}) {
  const router = new Router()
  router.get('/metrics', async (ctx) => {
    ctx.type = options.metrics.registry.contentType
    ctx.body = await options.metrics.registry.metrics()
  })
  router.get('/healthz', async (ctx) => {
    const document = await options.health()
    ctx.status = document.status === 'down' ? 503 : 200
    ctx.body = document
  })
  return router
}
