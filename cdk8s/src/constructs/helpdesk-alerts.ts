// The seed's alerting ("Monitoring and Logging", "Infrastructure Metrics") for one instance,
// from the API's metrics, kube-state-metrics, cert-manager's and the operator's. Each alert
// has a promtool unit test (cdk8s/test/alerts.test.ts). Chart and operator installs differ
// only in where a figure comes from, so each expression reads both sources with `or`.
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import { type AlertRule, AlertRules } from './alert-rules.ts'

export interface AlertThresholds {
  /** p95 of API requests, seconds. */
  readonly latencyP95Seconds: number
  /** Share of 5xx responses, 0..1. */
  readonly errorRatio: number
  readonly backupMaxAgeHours: number
  readonly certificateMinDays: number
}

export interface HelpdeskAlertsProps {
  readonly version: string
  readonly thresholds: AlertThresholds
  /** Labels Prometheus selects PrometheusRules by. */
  readonly labels: Record<string, string>
  readonly managedPostgres: boolean
  readonly managedRedis: boolean
  readonly backups: boolean
  readonly restoreDrills: boolean
}

export class HelpdeskAlerts extends Construct {
  constructor(scope: Construct, id: string, props: HelpdeskAlertsProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const namespace = `namespace="${context.namespace}"`
    const api = `${namespace}, service="${objectName(context, 'api')}"`
    const owner = `helpdesk_namespace="${context.namespace}", helpdesk="${context.instance}"`
    const requests = (filter = '') =>
      `sum(rate(http_request_duration_seconds_count{${api}${filter}}[5m]))`
    const ready = (statefulSet: string) =>
      `kube_statefulset_status_replicas_ready{${namespace}, statefulset="${objectName(context, statefulSet)}"} < 1`
    const { thresholds } = props
    const instance = `Helpdesk ${context.namespace}/${context.instance}`

    const apiRules: AlertRule[] = [
      {
        alert: 'HelpdeskApiErrors',
        expr: `${requests(', status=~"5.."')} / ${requests()} > ${thresholds.errorRatio}`,
        for: '10m',
        severity: 'warning',
        summary: `${instance}: API errors above the target`,
        description: `More than ${thresholds.errorRatio} of API responses are 5xx (the seed: below 1 %). Check the API logs by request id.`,
      },
      {
        alert: 'HelpdeskApiSlow',
        expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${api}}[5m]))) > ${thresholds.latencyP95Seconds}`,
        for: '10m',
        severity: 'warning',
        summary: `${instance}: API p95 latency above the target`,
        description: `The 95th percentile of API requests took longer than ${thresholds.latencyP95Seconds} s (the seed: below 2 s). Look at saturation on the dashboard: CPU, the database pool, Postgres.`,
      },
      {
        alert: 'HelpdeskApiReadinessFlapping',
        expr: `max by (pod) (changes(kube_pod_status_ready{${namespace}, pod=~"${objectName(context, 'api')}-.+", condition="true"}[15m])) > 4`,
        for: '5m',
        severity: 'warning',
        summary: `${instance}: an API pod keeps turning ready and unready`,
        description:
          'Readiness changed more than 4 times in 15 minutes: /readyz fails intermittently (database or Redis unreachable, or the pod is overloaded).',
      },
      {
        alert: 'HelpdeskApiUnavailable',
        expr: `kube_deployment_status_replicas_available{${namespace}, deployment="${objectName(context, 'api')}"} < 1`,
        for: '5m',
        severity: 'critical',
        summary: `${instance}: no API pod is available`,
        description: 'Every API pod is unready or missing: the helpdesk is down.',
      },
    ]
    // An external database: HelpdeskApiUnavailable covers it (/readyz checks the database).
    const dataRules: AlertRule[] = [
      ...(props.managedPostgres
        ? [
            {
              alert: 'HelpdeskPostgresDown',
              expr: `(${ready('postgres')}) or (pg_up{${namespace}, service="${objectName(context, 'postgres')}"} == 0)`,
              for: '5m',
              severity: 'critical',
              summary: `${instance}: Postgres is down`,
              description:
                'The Postgres StatefulSet has no ready pod, or its exporter cannot reach the server.',
            } satisfies AlertRule,
          ]
        : []),
      {
        alert: 'HelpdeskRedisDown',
        expr: props.managedRedis
          ? `(${ready('redis')}) or (min(redis_up{${api}}) == 0)`
          : `min(redis_up{${api}}) == 0`,
        for: '5m',
        severity: 'critical',
        summary: `${instance}: Redis is down`,
        description:
          'The API has no Redis connection (redis_up 0): sessions, rate limits and caches are failing.',
      },
    ]
    const backupRules: AlertRule[] = props.backups
      ? [
          {
            alert: 'HelpdeskBackupTooOld',
            expr: `time() - max(kube_cronjob_status_last_successful_time{${namespace}, cronjob="${objectName(context, 'backup')}"} or helpdesk_operator_backup_last_success_timestamp_seconds{${owner}}) > ${thresholds.backupMaxAgeHours} * 3600`,
            for: '15m',
            severity: 'critical',
            summary: `${instance}: the last good backup is too old`,
            description: `No backup succeeded in the last ${thresholds.backupMaxAgeHours} hours (schedule plus margin). Look at the backup Jobs and the Helpdesk's BackupHealthy condition.`,
          },
          ...(props.restoreDrills
            ? [
                {
                  alert: 'HelpdeskRestoreDrillFailed',
                  expr: `(kube_cronjob_status_last_successful_time{${namespace}, cronjob="${objectName(context, 'backup-verify')}"} < kube_cronjob_status_last_schedule_time{${namespace}, cronjob="${objectName(context, 'backup-verify')}"}) or (helpdesk_operator_restore_drill_failed{${owner}} == 1)`,
                  for: '6h',
                  severity: 'critical',
                  summary: `${instance}: the latest restore drill failed`,
                  description:
                    'The last scheduled restore of the latest backup into a scratch database did not succeed: backups may not be restorable.',
                } satisfies AlertRule,
              ]
            : []),
        ]
      : []
    const certificateRules: AlertRule[] = [
      {
        alert: 'HelpdeskCertificateExpiring',
        expr: `min(certmanager_certificate_expiration_timestamp_seconds{${namespace}, name=~"${objectName(context, '')}(tls|postgres-tls|redis-tls)"} or helpdesk_operator_certificate_expiration_timestamp_seconds{${owner}}) - time() < ${thresholds.certificateMinDays} * 86400`,
        for: '1h',
        severity: 'warning',
        summary: `${instance}: a certificate expires soon`,
        description: `A certificate expires in fewer than ${thresholds.certificateMinDays} days although it should have been renewed: look at cert-manager or the operator's CertificatesReady condition.`,
      },
    ]
    new AlertRules(this, 'rules', {
      name: objectName(context, 'alerts'),
      labels: { ...standardLabels(context, undefined, props.version), ...props.labels },
      groups: {
        'helpdesk.api': apiRules,
        'helpdesk.data': dataRules,
        'helpdesk.backups': backupRules,
        'helpdesk.certificates': certificateRules,
      },
    })
  }
}
