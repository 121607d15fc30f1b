// Probes and metrics for Kubernetes and Prometheus, outside /api/v1 and outside the rate
// limits (contract: spec/api.md "Operations").
import Router, { type RouterMiddleware } from '@koa/router'
import { HttpError } from '../errors.ts'
import type { Metrics } from '../observability/metrics.ts'
import {
  checkHealth,
  type HealthSources,
  overallStatus,
  readinessFailures,
} from '../platform/health.ts'

export const OPERATION_PATHS = new Set(['/livez', '/readyz', '/healthz', '/metrics'])

export interface OperationsOptions {
  health: HealthSources
  metrics: Metrics
  version: string
  isShuttingDown: () => boolean
}

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
  probe('/readyz', async (ctx) => {
    if (options.isShuttingDown()) {
      throw new HttpError('shutting_down', { detail: 'this process is draining after SIGTERM' })
    }
    const failures = readinessFailures(await checkHealth(options.health))
    if (failures.length > 0) {
      throw new HttpError('dependency_unavailable', { detail: failures.join('; ') })
    }
    ctx.body = { status: 'ready' }
  })
  probe('/healthz', async (ctx) => {
    const checks = await checkHealth(options.health)
    const status = overallStatus(checks)
    ctx.status = status === 'down' ? 503 : 200
    ctx.body = { status, checks, version: options.version }
  })
  probe('/metrics', async (ctx) => {
    ctx.type = options.metrics.registry.contentType
    ctx.body = await options.metrics.registry.metrics()
  })
  return router
}
