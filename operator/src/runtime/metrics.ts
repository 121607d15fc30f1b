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

  /** Per Helpdesk: what the PrometheusRule's alerts read in operator installs. */
  readonly backupLastSuccess = new Gauge({
    name: 'helpdesk_operator_backup_last_success_timestamp_seconds',
    help: 'Completion time of the latest successful backup of a Helpdesk.',
    labelNames: ['helpdesk_namespace', 'helpdesk'] as const,
    registers: [this.registry],
  })

  readonly restoreDrillFailed = new Gauge({
    name: 'helpdesk_operator_restore_drill_failed',
    help: '1 while the latest restore drill of a Helpdesk failed, else 0.',
    labelNames: ['helpdesk_namespace', 'helpdesk'] as const,
    registers: [this.registry],
  })

  readonly certificateExpiry = new Gauge({
    name: 'helpdesk_operator_certificate_expiration_timestamp_seconds',
    help: 'notAfter of each certificate a Helpdesk uses.',
    labelNames: ['helpdesk_namespace', 'helpdesk', 'secret'] as const,
    registers: [this.registry],
  })

  /** Per Helpdesk key: the Secrets its certificate series carry. */
  readonly #certificateSecrets = new Map<string, string[]>()

  /** A Helpdesk's certificate expiries; series of Secrets it no longer uses go. */
  setCertificates(namespace: string, name: string, notAfter: Record<string, Date>): void {
    const key = `${namespace}/${name}`
    for (const secret of this.#certificateSecrets.get(key) ?? []) {
      if (!(secret in notAfter)) {
        this.certificateExpiry.remove({ helpdesk_namespace: namespace, helpdesk: name, secret })
      }
    }
    for (const [secret, date] of Object.entries(notAfter)) {
      this.certificateExpiry.set(
        { helpdesk_namespace: namespace, helpdesk: name, secret },
        date.getTime() / 1000,
      )
    }
    this.#certificateSecrets.set(key, Object.keys(notAfter))
  }

  /** Forgets a deleted Helpdesk's figures. */
  forgetHelpdesk(namespace: string, name: string): void {
    const labels = { helpdesk_namespace: namespace, helpdesk: name }
    this.backupLastSuccess.remove(labels)
    this.restoreDrillFailed.remove(labels)
    this.setCertificates(namespace, name, {})
    this.#certificateSecrets.delete(`${namespace}/${name}`)
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'helpdesk_operator_' })
  }
}
