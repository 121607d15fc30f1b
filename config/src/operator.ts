// The operator's settings: the operator chart (cdk8s/src/charts/operator-chart.ts) writes them,
// operator/src/config.ts reads them; both by these names.
export const OPERATOR_VARIABLES = {
  /** Comma-separated namespaces to watch; empty: every namespace. */
  watchNamespaces: 'HELPDESK_OPERATOR_WATCH_NAMESPACES',
  leaderElectionNamespace: 'HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE',
  leaderElectionName: 'HELPDESK_OPERATOR_LEADER_ELECTION_NAME',
  leaseDurationSeconds: 'HELPDESK_OPERATOR_LEASE_DURATION_SECONDS',
  renewDeadlineSeconds: 'HELPDESK_OPERATOR_RENEW_DEADLINE_SECONDS',
  retryPeriodSeconds: 'HELPDESK_OPERATOR_RETRY_PERIOD_SECONDS',
  /** The port of /healthz, /readyz and /metrics. */
  metricsPort: 'HELPDESK_OPERATOR_METRICS_PORT',
  /** kubernetes (TokenReview and SubjectAccessReview guard /metrics) or none. */
  metricsAuth: 'HELPDESK_OPERATOR_METRICS_AUTH',
  concurrency: 'HELPDESK_OPERATOR_CONCURRENCY',
  resyncSeconds: 'HELPDESK_OPERATOR_RESYNC_SECONDS',
  /** Seconds between two Helpdesks upgraded to a new operator version. */
  upgradeIntervalSeconds: 'HELPDESK_OPERATOR_UPGRADE_INTERVAL_SECONDS',
  shutdownGraceSeconds: 'HELPDESK_OPERATOR_SHUTDOWN_GRACE_SECONDS',
  logLevel: 'LOG_LEVEL',
  /** From the downward API: the leader identity and the Lease's namespace. */
  podName: 'POD_NAME',
  podNamespace: 'POD_NAMESPACE',
} as const
