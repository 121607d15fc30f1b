// The PrometheusRules' alerts, unit-tested with promtool (Debian's prometheus package,
// installed by `make tools`): for each alert, series that must make it fire — with exactly
// these labels and annotations — and series that must not.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { serviceDir, toolPath } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { stringify } from 'yaml'
import type { KubeObject } from '../src/render/kube-object.ts'
import { operatorObjects, synthObjects } from './support/charts.ts'

const run = promisify(execFile)
const scratch = serviceDir('helpdesk-alerts')

interface Rule {
  alert: string
  labels: Record<string, string>
  annotations: Record<string, string>
}

/** The rules of the one PrometheusRule among the objects, written where promtool reads them. */
function ruleFile(objects: KubeObject[], name: string): { file: string; rules: Rule[] } {
  const rule = objects.find((object) => object.kind === 'PrometheusRule')
  if (!rule) throw new Error('no PrometheusRule rendered')
  const spec = rule.spec as { groups: { rules: Rule[] }[] }
  const file = path.join(scratch, `${name}.rules.yaml`)
  writeFileSync(file, stringify(spec))
  return { file, rules: spec.groups.flatMap((group) => group.rules) }
}

interface Case {
  alert: string
  what: string
  series: Record<string, string>
  at: string
  /** The labels the alert must carry besides severity; undefined: it must not fire. */
  fires?: Record<string, string>
  /** Replacements of template expressions in the annotations ({{ $labels.x }}). */
  expand?: Record<string, string>
}

async function promtool(file: string, rules: Rule[], cases: Case[]): Promise<string> {
  const tests = cases.map((test) => {
    const rule = rules.find((candidate) => candidate.alert === test.alert)
    if (!rule) throw new Error(`no alert ${test.alert}`)
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([key, text]) => [
        key,
        Object.entries(test.expand ?? {}).reduce(
          (expanded, [template, value]) => expanded.replaceAll(template, value),
          text,
        ),
      ]),
    )
    return {
      name: `${test.alert}: ${test.what}`,
      interval: '1m',
      input_series: Object.entries(test.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [
        {
          eval_time: test.at,
          alertname: test.alert,
          exp_alerts: test.fires
            ? [{ exp_labels: { ...rule.labels, ...test.fires }, exp_annotations: annotations }]
            : [],
        },
      ],
    }
  })
  const testFile = `${file}.test.yaml`
  writeFileSync(testFile, stringify({ rule_files: [file], evaluation_interval: '1m', tests }))
  await run(toolPath('promtool'), ['check', 'rules', file])
  const { stdout } = await run(toolPath('promtool'), ['test', 'rules', testFile])
  return stdout
}

const API = 'namespace="support", service="demo-api"'
const requests = (status: string, perMinute: number) => ({
  [`http_request_duration_seconds_count{${API}, status="${status}"}`]: `0+${perMinute}x40`,
})
/** Requests per minute by histogram bucket upper bound (cumulative, as Prometheus keeps them). */
const latency = (perBucket: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(perBucket).map(([le, count]) => [
      `http_request_duration_seconds_bucket{${API}, le="${le}"}`,
      `0+${count}x40`,
    ]),
  )

const HELPDESK_CASES: Case[] = [
  {
    alert: 'HelpdeskApiErrors',
    what: '2 % of responses are 5xx',
    series: { ...requests('500', 6), ...requests('200', 294) },
    at: '20m',
    fires: {},
  },
  {
    alert: 'HelpdeskApiErrors',
    what: '0.3 % are not above the seed’s 1 %',
    series: { ...requests('500', 1), ...requests('200', 299) },
    at: '20m',
  },
  {
    alert: 'HelpdeskApiSlow',
    what: 'p95 between 2.5 and 5 s',
    series: latency({ '0.5': 10, '1': 20, '2.5': 50, '5': 100, '+Inf': 100 }),
    at: '20m',
    fires: {},
  },
  {
    alert: 'HelpdeskApiSlow',
    what: 'every request under half a second',
    series: latency({ '0.5': 100, '1': 100, '2.5': 100, '5': 100, '+Inf': 100 }),
    at: '20m',
  },
  {
    alert: 'HelpdeskApiReadinessFlapping',
    what: 'ready and unready every minute',
    series: {
      'kube_pod_status_ready{namespace="support", pod="demo-api-7d9f-x2x", condition="true"}':
        '1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0',
    },
    at: '22m',
    fires: { pod: 'demo-api-7d9f-x2x' },
  },
  {
    alert: 'HelpdeskApiReadinessFlapping',
    what: 'one restart is no flapping',
    series: {
      'kube_pod_status_ready{namespace="support", pod="demo-api-7d9f-x2x", condition="true"}':
        '1 1 1 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1',
    },
    at: '22m',
  },
  {
    alert: 'HelpdeskApiUnavailable',
    what: 'no API pod available for 5 minutes',
    series: {
      'kube_deployment_status_replicas_available{namespace="support", deployment="demo-api"}':
        '2 2 0 0 0 0 0 0 0 0',
    },
    at: '9m',
    fires: { namespace: 'support', deployment: 'demo-api' },
  },
  {
    alert: 'HelpdeskApiUnavailable',
    what: 'another release’s API is none of its business',
    series: {
      'kube_deployment_status_replicas_available{namespace="support", deployment="other-api"}':
        '0x10',
    },
    at: '9m',
  },
  {
    alert: 'HelpdeskPostgresDown',
    what: 'the StatefulSet has no ready pod',
    series: {
      'kube_statefulset_status_replicas_ready{namespace="support", statefulset="demo-postgres"}':
        '0x10',
    },
    at: '9m',
    fires: { namespace: 'support', statefulset: 'demo-postgres' },
  },
  {
    alert: 'HelpdeskPostgresDown',
    what: 'the exporter cannot reach the server',
    series: { 'pg_up{namespace="support", service="demo-postgres"}': '0x10' },
    at: '9m',
    fires: { namespace: 'support', service: 'demo-postgres' },
  },
  {
    alert: 'HelpdeskPostgresDown',
    what: 'a running server',
    series: {
      'kube_statefulset_status_replicas_ready{namespace="support", statefulset="demo-postgres"}':
        '1x10',
      'pg_up{namespace="support", service="demo-postgres"}': '1x10',
    },
    at: '9m',
  },
  {
    alert: 'HelpdeskRedisDown',
    what: 'an API pod lost Redis',
    series: {
      'redis_up{namespace="support", service="demo-api", pod="a"}': '1x10',
      'redis_up{namespace="support", service="demo-api", pod="b"}': '0x10',
    },
    at: '9m',
    fires: {},
  },
  {
    alert: 'HelpdeskRedisDown',
    what: 'Redis up for every pod',
    series: { 'redis_up{namespace="support", service="demo-api", pod="a"}': '1x10' },
    at: '9m',
  },
  {
    alert: 'HelpdeskBackupTooOld',
    what: 'chart install: the CronJob last succeeded 27 hours ago',
    series: {
      'kube_cronjob_status_last_successful_time{namespace="support", cronjob="demo-backup"}':
        '0x2000',
    },
    at: '27h',
    fires: {},
  },
  {
    alert: 'HelpdeskBackupTooOld',
    what: 'operator install: the operator reports the last success',
    series: {
      'helpdesk_operator_backup_last_success_timestamp_seconds{helpdesk_namespace="support", helpdesk="demo"}':
        '0x2000',
    },
    at: '27h',
    fires: {},
  },
  {
    alert: 'HelpdeskBackupTooOld',
    what: 'a backup 20 hours old is in time',
    series: {
      'kube_cronjob_status_last_successful_time{namespace="support", cronjob="demo-backup"}':
        '0x2000',
    },
    at: '20h',
  },
  {
    alert: 'HelpdeskRestoreDrillFailed',
    what: 'the last scheduled drill did not succeed',
    series: {
      'kube_cronjob_status_last_successful_time{namespace="support", cronjob="demo-backup-verify"}':
        '0x600',
      'kube_cronjob_status_last_schedule_time{namespace="support", cronjob="demo-backup-verify"}':
        '3600x600',
    },
    at: '7h',
    fires: { namespace: 'support', cronjob: 'demo-backup-verify' },
  },
  {
    alert: 'HelpdeskRestoreDrillFailed',
    what: 'operator install: the latest drill failed',
    series: {
      'helpdesk_operator_restore_drill_failed{helpdesk_namespace="support", helpdesk="demo"}':
        '1x600',
    },
    at: '7h',
    fires: { helpdesk_namespace: 'support', helpdesk: 'demo' },
  },
  {
    alert: 'HelpdeskRestoreDrillFailed',
    what: 'the drill succeeded after it was scheduled',
    series: {
      'kube_cronjob_status_last_successful_time{namespace="support", cronjob="demo-backup-verify"}':
        '4000x600',
      'kube_cronjob_status_last_schedule_time{namespace="support", cronjob="demo-backup-verify"}':
        '3600x600',
      'helpdesk_operator_restore_drill_failed{helpdesk_namespace="support", helpdesk="demo"}':
        '0x600',
    },
    at: '7h',
  },
  {
    alert: 'HelpdeskCertificateExpiring',
    what: 'cert-manager’s certificate expires in 10 days',
    series: {
      'certmanager_certificate_expiration_timestamp_seconds{namespace="support", name="demo-postgres-tls"}': `${10 * 86400}x200`,
    },
    at: '2h',
    fires: {},
  },
  {
    alert: 'HelpdeskCertificateExpiring',
    what: 'the operator’s certificate expires in 10 days',
    series: {
      'helpdesk_operator_certificate_expiration_timestamp_seconds{helpdesk_namespace="support", helpdesk="demo", secret="demo-tls"}': `${10 * 86400}x200`,
    },
    at: '2h',
    fires: {},
  },
  {
    alert: 'HelpdeskCertificateExpiring',
    what: 'another release’s certificate, and one with 60 days left',
    series: {
      'certmanager_certificate_expiration_timestamp_seconds{namespace="support", name="other-tls"}': `${10 * 86400}x200`,
      'certmanager_certificate_expiration_timestamp_seconds{namespace="support", name="demo-tls"}': `${60 * 86400}x200`,
    },
    at: '2h',
  },
]

const OPERATOR = 'namespace="helpdesk-system", service="hd-operator"'

const OPERATOR_CASES: Case[] = [
  {
    alert: 'HelpdeskOperatorReconcileErrors',
    what: 'a controller fails for 30 minutes',
    series: {
      [`helpdesk_operator_reconcile_errors_total{${OPERATOR}, controller="helpdesk"}`]: '0+3x60',
    },
    at: '50m',
    fires: { controller: 'helpdesk' },
    expand: { '{{ $labels.controller }}': 'helpdesk' },
  },
  {
    alert: 'HelpdeskOperatorReconcileErrors',
    what: 'errors that stopped',
    series: {
      [`helpdesk_operator_reconcile_errors_total{${OPERATOR}, controller="helpdesk"}`]:
        '0+3x10 30x50',
    },
    at: '50m',
  },
  {
    alert: 'HelpdeskOperatorNoLeader',
    what: 'both replicas stand by',
    series: {
      [`helpdesk_operator_leader{${OPERATOR}, pod="a"}`]: '0x20',
      [`helpdesk_operator_leader{${OPERATOR}, pod="b"}`]: '0x20',
      [`up{${OPERATOR}, pod="a"}`]: '1x20',
    },
    at: '15m',
    fires: {},
  },
  {
    alert: 'HelpdeskOperatorNoLeader',
    what: 'nothing is scraped at all',
    series: { 'up{namespace="elsewhere", service="other"}': '1x20' },
    at: '15m',
    fires: {},
  },
  {
    alert: 'HelpdeskOperatorNoLeader',
    what: 'one leads',
    series: {
      [`helpdesk_operator_leader{${OPERATOR}, pod="a"}`]: '1x20',
      [`helpdesk_operator_leader{${OPERATOR}, pod="b"}`]: '0x20',
      [`up{${OPERATOR}, pod="a"}`]: '1x20',
    },
    at: '15m',
  },
]

describe('the alerts (promtool test rules)', () => {
  it('of a Helpdesk fire on what the seed’s monitoring watches, and only then', async () => {
    const objects = synthObjects({
      backup: {
        s3: { bucket: 'backups' },
        encryptionKeySecretRef: { name: 'keys' },
        verify: {},
      },
      monitoring: { prometheusRule: { enabled: true } },
    })
    const { file, rules } = ruleFile(objects, 'helpdesk')
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [...new Set(HELPDESK_CASES.map((test) => test.alert))].sort(),
    )
    expect(await promtool(file, rules, HELPDESK_CASES)).toContain('SUCCESS')
  }, 60_000)

  it('of the operator fire on failing reconciles and a missing leader', async () => {
    const objects = operatorObjects({ prometheusRule: { enabled: true } }, 'hd', 'helpdesk-system')
    const { file, rules } = ruleFile(objects, 'operator')
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [...new Set(OPERATOR_CASES.map((test) => test.alert))].sort(),
    )
    expect(await promtool(file, rules, OPERATOR_CASES)).toContain('SUCCESS')
  }, 60_000)
})
