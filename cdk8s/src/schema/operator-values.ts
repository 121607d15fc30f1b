// Values of charts/helpdesk-operator.
import { z } from 'zod'
import { HELPDESK_VERSION, IMAGES } from '../defaults.ts'
import {
  goDuration,
  imagePullPolicy,
  logLevel,
  networkPolicyPeer,
  resources,
  secretName,
  stringMap,
} from './common.ts'
import { globalSchema } from './derived.ts'
import { imageSettings } from './images.ts'
import { withRules } from './rules.ts'
import { extraLabels, replicatedWorkload } from './workload.ts'

/**
 * Measured under this limit (operator/README.md "Benchmarks"): the resident set peaked at
 * 195-204 MiB with 100 Helpdesks and 293-300 MiB with 500; the limit leaves 70% above the
 * latter for bursts of reconciles. The request is what an operator with up to ~100
 * Helpdesks uses, so that scheduling does not reserve the peak.
 */
export const OPERATOR_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi', ephemeralStorage: '32Mi' },
  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '256Mi' },
}

const seconds = (value: number) => z.number().int().min(1).max(3600).default(value)

const image = imageSettings(IMAGES.operator).unwrap()

export const operatorValuesSchema = z.strictObject({
  global: globalSchema,
  commonLabels: extraLabels.default({}).describe('Labels added to every object.'),
  commonAnnotations: stringMap.default({}).describe('Annotations added to every object.'),
  crds: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Install and upgrade the CRDs with the chart (helm upgrade upgrades them).'),
      keep: z
        .boolean()
        .default(true)
        .describe(
          'Keep the CRDs on helm uninstall: deleting a CRD deletes every Helpdesk, backup and restore object of its kind.',
        ),
    })
    .prefault({})
    .describe('The CustomResourceDefinitions of Helpdesk, HelpdeskBackup and HelpdeskRestore.'),
  image: image
    .extend({
      tag: z
        .string()
        .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/, 'must be an image tag usable as a label value')
        .default(HELPDESK_VERSION)
        .describe('Image tag; also the app.kubernetes.io/version label.'),
      pullPolicy: imagePullPolicy.default('IfNotPresent'),
      pullSecrets: z.array(z.strictObject({ name: secretName })).default([]),
    })
    .prefault({})
    .describe('The operator image.'),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(2)
    .describe('Operator pods; one leads (a Lease), the others stand by.'),
  resources: resources(OPERATOR_RESOURCES),
  logLevel: logLevel.default('info'),
  watch: z
    .enum(['allNamespaces', 'releaseNamespace'])
    .default('allNamespaces')
    .describe(
      'allNamespaces: a ClusterRole and every Helpdesk in the cluster; releaseNamespace: a Role and only this namespace.',
    ),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('Reconciles in flight per controller.'),
  resyncSeconds: z.number().int().min(10).max(86400).default(600),
  upgradeIntervalSeconds: z
    .number()
    .int()
    .min(0)
    .max(86400)
    .default(60)
    .describe(
      'After an operator upgrade, Helpdesks last applied by another version are re-rendered one per interval (0: all at once); spec edits apply at once.',
    ),
  leaderElection: withRules(
    z.strictObject({
      leaseDurationSeconds: seconds(15),
      renewDeadlineSeconds: seconds(10),
      retryPeriodSeconds: seconds(2),
    }),
    [
      {
        cel: 'self.renewDeadlineSeconds < self.leaseDurationSeconds',
        helm: 'lt (int64 $v.renewDeadlineSeconds) (int64 $v.leaseDurationSeconds)',
        message: 'leaderElection.renewDeadlineSeconds must be below leaseDurationSeconds',
        check: (value: { renewDeadlineSeconds: number; leaseDurationSeconds: number }) =>
          value.renewDeadlineSeconds < value.leaseDurationSeconds,
      },
    ],
  )
    .prefault({})
    .describe('Leader election on a coordination.k8s.io Lease.'),
  serviceMonitor: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval: goDuration.default('30s'),
      additionalLabels: stringMap
        .default({})
        .describe('Labels Prometheus selects ServiceMonitors by (kube-prometheus-stack: release).'),
    })
    .prefault({})
    .describe(
      'A prometheus-operator ServiceMonitor for the operator metrics (scraped with Prometheus’s ServiceAccount token).',
    ),
  prometheusRule: z
    .strictObject({
      enabled: z.boolean().default(false),
      additionalLabels: stringMap.default({}),
    })
    .prefault({})
    .describe('A PrometheusRule alerting on failing reconciles and a missing leader.'),
  networkPolicy: z
    .strictObject({
      enabled: z.boolean().default(true),
      metricsFrom: z
        .array(networkPolicyPeer)
        .default([])
        .describe(
          'NetworkPolicyPeers allowed to reach the metrics port; empty allows every source (the port still requires a token).',
        ),
    })
    .prefault({})
    .describe(
      'A NetworkPolicy for the operator: in, only the metrics port; out, DNS and the Kubernetes API.',
    ),
  rbac: z
    .strictObject({
      aggregateToDefaultRoles: z
        .boolean()
        .default(true)
        .describe(
          'ClusterRoles that add read access to Helpdesk kinds to the view role and write access to edit and admin.',
        ),
    })
    .prefault({}),
  ...replicatedWorkload('helpdesk-operator'),
})

/** The operator chart's image that global.imageRegistry and global.imagePullSecrets reach. */
export const OPERATOR_GLOBALS = { registries: [['image']], pullSecrets: ['image', 'pullSecrets'] }

export type OperatorValues = z.output<typeof operatorValuesSchema>
