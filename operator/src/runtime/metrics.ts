import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * The operator's Prometheus metrics, in a registry of its own so that several operators in
 * one process (tests, benchmarks) never share counters.
 */
export class OperatorMetrics {
  readonly registry = new Registry()

  readonly reconciles = new Counter({
    name: 'helpdesk_operator_reconciles_total',
    help: 'Reconciles by controller and result (success, error).',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  })

  readonly reconcileErrors = new Counter({
    name: 'helpdesk_operator_reconcile_errors_total',
    help: 'Reconciles that failed and were requeued with backoff.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  })

  readonly reconcileDuration = new Histogram({
    name: 'helpdesk_operator_reconcile_duration_seconds',
    help: 'Time spent in one reconcile.',
    labelNames: ['controller'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  })

  readonly queueDepth = new Gauge({
    name: 'helpdesk_operator_workqueue_depth',
    help: 'Keys waiting in the work queue.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  })

  readonly apiRequests = new Counter({
    name: 'helpdesk_operator_api_requests_total',
    help: 'Requests to the Kubernetes API by user (reconcilers, caches, leader-election), method and status code; watches excluded.',
    labelNames: ['user', 'method', 'code'] as const,
    registers: [this.registry],
  })

  readonly informerRestarts = new Counter({
    name: 'helpdesk_operator_informer_restarts_total',
    help: 'Informers restarted after their watch or list failed.',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  })

  readonly leader = new Gauge({
    name: 'helpdesk_operator_leader',
    help: '1 while this instance holds the leader-election Lease.',
    registers: [this.registry],
  })

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'helpdesk_operator_' })
  }
}
