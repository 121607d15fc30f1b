import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export interface PoolFigures {
  total: number
  idle: number
  waiting: number
  max: number
}

export interface MetricSources {
  pool: () => PoolFigures | undefined
  /** 1 connected, 0 not; undefined when Redis is not configured (embedded mode). */
  redisUp: () => number | undefined
  /** Requests being served right now. */
  inFlight: () => number
  /** The open event streams (src/live/) and the events written to them. */
  streams: { readonly size: number; readonly sentTotal: number }
}

/**
 * One registry per app (not prom-client's global one), so several apps in one test process
 * never share figures. Default metrics give event-loop lag, memory, CPU and handles.
 */
export function createMetrics(sources: MetricSources) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  new Gauge({
    name: 'http_requests_in_flight',
    help: 'Requests being served right now',
    registers: [registry],
    collect() {
      this.set(sources.inFlight())
    },
  })
  const errors = new Counter({
    name: 'http_errors_total',
    help: 'Problem responses by error type and status',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  })
  const poolGauge = (name: string, help: string, pick: (figures: PoolFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const figures = sources.pool()
        if (figures) this.set(pick(figures))
      },
    })
  poolGauge('db_pool_connections_total', 'Open database connections', (f) => f.total)
  poolGauge('db_pool_connections_idle', 'Idle database connections', (f) => f.idle)
  poolGauge('db_pool_requests_waiting', 'Queries waiting for a connection', (f) => f.waiting)
  poolGauge('db_pool_connections_max', 'Configured pool size', (f) => f.max)
  new Gauge({
    name: 'redis_up',
    help: '1 when the Redis connection is ready, 0 otherwise (absent in embedded mode)',
    registers: [registry],
    collect() {
      const up = sources.redisUp()
      if (up !== undefined) this.set(up)
    },
  })
  new Gauge({
    name: 'event_streams_open',
    help: 'Server-sent event streams this process holds open',
    registers: [registry],
    collect() {
      this.set(sources.streams.size)
    },
  })
  new Counter({
    name: 'event_stream_events_sent_total',
    help: 'Events written to server-sent event streams',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(sources.streams.sentTotal)
    },
  })
  return { registry, requestDuration, errors }
}

export type Metrics = ReturnType<typeof createMetrics>
