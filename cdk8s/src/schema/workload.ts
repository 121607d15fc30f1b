// What a platform team sets on every component's pods: where they are scheduled, what they
// carry besides the product's own settings (env, volumes, labels, annotations), the
// ServiceAccount's annotations (cloud identity) and the disruption budget. One definition,
// spread into each component of the Helpdesk spec and the operator chart's values; the
// schema stays closed for everything else.
import { z } from 'zod'
import {
  dnsLabel,
  dnsSubdomain,
  kubernetesObject,
  PRESERVE_UNKNOWN_KEY,
  secretName,
  stringMap,
} from './common.ts'
import { mapWithoutKeys } from './rules.ts'

const SELECTOR_LABELS = '^app[.]kubernetes[.]io/(name|instance|component)$'

/** Labels added to objects or pods: never the ones selectors are made of. */
export const extraLabels = mapWithoutKeys(
  SELECTOR_LABELS,
  'selector labels are set by the chart; choose another key',
)

const toleration = z
  .strictObject({
    key: z.string().optional().describe('The taint key; empty with Exists matches every taint.'),
    operator: z.enum(['Exists', 'Equal']).optional().describe('Default Equal.'),
    value: z.string().optional().describe('The taint value (operator Equal).'),
    effect: z
      .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      .optional()
      .describe('The taint effect to tolerate; empty tolerates every effect.'),
    tolerationSeconds: z
      .number()
      .int()
      .optional()
      .describe('For NoExecute: how long the pod stays after the taint appears.'),
  })
  .describe('A Toleration (core/v1).')

const envVar = z
  .strictObject({
    name: z
      .string()
      .regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'must be an environment variable name')
      .describe('The variable name.'),
    value: z.string().optional().describe('The value; $(NAME) expands earlier variables.'),
    valueFrom: kubernetesObject.optional().describe('An EnvVarSource (core/v1).'),
  })
  .describe('An EnvVar (core/v1).')

const envFromSource = z
  .strictObject({
    prefix: z.string().optional().describe('Prepended to every variable name.'),
    configMapRef: z
      .strictObject({
        name: secretName.describe('The ConfigMap.'),
        optional: z.boolean().optional().describe('Start without it when missing.'),
      })
      .optional()
      .describe('Every key of a ConfigMap.'),
    secretRef: z
      .strictObject({
        name: secretName,
        optional: z.boolean().optional().describe('Start without it when missing.'),
      })
      .optional()
      .describe('Every key of a Secret.'),
  })
  .describe('An EnvFromSource (core/v1).')

const volume = z
  .looseObject({ name: dnsLabel.describe('The volume name, for extraVolumeMounts.') })
  .meta({ [PRESERVE_UNKNOWN_KEY]: true })
  .describe('A Volume (core/v1): name plus one volume source.')

const volumeMount = z
  .strictObject({
    name: dnsLabel.describe('An extraVolumes name.'),
    mountPath: z.string().min(1).describe('Where the volume appears in the container.'),
    readOnly: z.boolean().optional().describe('Mount read-only.'),
    subPath: z
      .string()
      .optional()
      .describe('A path inside the volume to mount instead of its root.'),
  })
  .describe('A VolumeMount (core/v1) of the main container.')

/** Spread over zones, then nodes, counting only pods of the same component and rollout. */
export function defaultTopologySpread(name: string) {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
    // Values come from each pod's own labels: the spread never mixes releases, components
    // or the two sides of a rolling update.
    matchLabelKeys: [
      'app.kubernetes.io/instance',
      'app.kubernetes.io/component',
      'pod-template-hash',
    ],
  }))
}

/** The pod settings of one component. */
export function workloadSettings() {
  return {
    nodeSelector: stringMap.default({}).describe('nodeSelector of the pods.'),
    tolerations: z.array(toleration).default([]).describe('Tolerations of the pods.'),
    affinity: kubernetesObject
      .default({})
      .describe('An Affinity (core/v1): node affinity, pod affinity and anti-affinity.'),
    priorityClassName: dnsSubdomain.optional().describe('PriorityClass of the pods.'),
    podAnnotations: stringMap.default({}).describe('Extra annotations on the pods.'),
    podLabels: extraLabels.default({}).describe('Extra labels on the pods.'),
    extraEnv: z
      .array(envVar)
      .default([])
      .describe('Extra environment variables of the main container (after the product’s own).'),
    extraEnvFrom: z
      .array(envFromSource)
      .default([])
      .describe('Extra envFrom sources of the main container.'),
    extraVolumes: z.array(volume).default([]).describe('Extra volumes of the pods.'),
    extraVolumeMounts: z
      .array(volumeMount)
      .default([])
      .describe('Extra volume mounts of the main container.'),
    serviceAccount: z
      .strictObject({
        annotations: stringMap
          .default({})
          .describe(
            'Annotations of the ServiceAccount: cloud identity, e.g. eks.amazonaws.com/role-arn or iam.gke.io/gcp-service-account.',
          ),
      })
      .prefault({})
      .describe('The ServiceAccount the pods run as (it mounts no token).'),
  }
}

/** The settings of a Deployment with replicas (api, web, the operator): also spread and budget. */
export function replicatedWorkload(name: string) {
  return {
    ...workloadSettings(),
    topologySpreadConstraints: z
      .array(kubernetesObject)
      .default(defaultTopologySpread(name))
      .describe(
        'TopologySpreadConstraints (core/v1); the default spreads over zones, then nodes. [] turns spreading off.',
      ),
    podDisruptionBudget: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Create the PodDisruptionBudget.'),
        maxUnavailable: z
          .union([
            z.number().int().min(0),
            z.string().regex(/^[0-9]{1,3}%$/, 'must be a count or a percentage such as 25%'),
          ])
          .default(1)
          .describe('Pods a voluntary disruption (a node drain) may take at once.'),
      })
      .prefault({})
      .describe('A PodDisruptionBudget (maxUnavailable never blocks a drain at one replica).'),
  }
}

/** The settings of a one-replica server (Postgres, Redis, MinIO) or ingress-nginx. */
export const singleWorkload = workloadSettings

const singleShape = z.object(workloadSettings())
const replicatedShape = z.object(replicatedWorkload('helpdesk'))

/** A component's pod settings as parsed (spread and budget only on replicated ones). */
export type WorkloadValues = z.output<typeof singleShape> &
  Partial<
    Pick<z.output<typeof replicatedShape>, 'topologySpreadConstraints' | 'podDisruptionBudget'>
  >
