// Values of charts/helpdesk-operator.
import { z } from 'zod'
import { HELPDESK_VERSION, IMAGES } from '../defaults.ts'
import {
  goDuration,
  imagePullPolicy,
  imageRepository,
  logLevel,
  resources,
  secretName,
} from './common.ts'
import { withRules } from './rules.ts'

export const OPERATOR_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '256Mi' },
}

const seconds = (value: number) => z.number().int().min(1).max(3600).default(value)

export const operatorValuesSchema = z.strictObject({
  image: z
    .strictObject({
      repository: imageRepository.default(IMAGES.operator),
      tag: z
        .string()
        .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/, 'must be an image tag usable as a label value')
        .default(HELPDESK_VERSION),
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
    .strictObject({ enabled: z.boolean().default(false), interval: goDuration.default('30s') })
    .prefault({})
    .describe('A prometheus-operator ServiceMonitor for the operator metrics.'),
})

export type OperatorValues = z.output<typeof operatorValuesSchema>
