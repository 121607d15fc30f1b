import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { API_DRAIN, API_RESOURCES, PORTS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import type { AutoscalingTarget, DisruptionBudget } from './autoscaling.ts'
import { HttpWorkload } from './http-workload.ts'
import type {
  PodSettings,
  ResourceRequirements,
  SecretDirectory,
  SecretEnvVar,
  SecretFile,
} from './pod-spec.ts'

export interface ApiProps {
  /** Image reference with tag. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** app.kubernetes.io/version */
  readonly version: string
  readonly replicas: { readonly min: number; readonly max: number }
  /** @default - no HorizontalPodAutoscaler: the Deployment runs replicas.min */
  readonly autoscaling?: AutoscalingTarget
  /** @default - a PodDisruptionBudget with maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudget
  /** Scheduling, spread and extras (schema/workload.ts). @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
  /** @default API_RESOURCES (the seed: 512Mi and 1 CPU) */
  readonly resources?: ResourceRequirements
  /** Non-secret environment, kept in a ConfigMap whose content hash rolls the pods. */
  readonly environment: Record<string, string>
  /** @default - none */
  readonly secretEnvironment?: readonly SecretEnvVar[]
  /** CA bundles and other files from Secrets. @default - none */
  readonly secretFiles?: readonly SecretFile[]
  /** Keyrings (the application keys). @default - none */
  readonly secretDirectories?: readonly SecretDirectory[]
}

/**
 * The API: `helpdesk serve` with its configuration in a ConfigMap, metrics on a port of their
 * own. Liveness is /livez and
 * readiness /readyz, which fails until the schema is current (the migrations Job) and at once
 * on SIGTERM; the preStop sleep plus HELPDESK_SHUTDOWN_GRACE_MS fit in the grace period.
 */
export class Api extends Construct {
  readonly workload: HttpWorkload

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const name = objectName(context, 'api')
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name, labels: standardLabels(context, 'api', props.version) },
      data: props.environment,
    })
    this.workload = new HttpWorkload(this, 'workload', {
      ...props,
      component: 'api',
      args: ['serve'],
      resources: props.resources ?? API_RESOURCES,
      environmentConfigMap: config.name,
      probes: { live: '/livez', ready: '/readyz', startupSeconds: 300 },
      // /metrics and the detailed /healthz: Prometheus's, never the ingress's.
      metricsPort: PORTS.metrics,
      // SIGUSR2 at the start: the API asks keep-alive clients to reconnect (to other pods)
      // before SIGTERM closes what is left.
      preStop: { seconds: API_DRAIN.preStopSeconds, signal: 'USR2' },
      terminationGracePeriodSeconds: API_DRAIN.terminationGracePeriodSeconds,
      podAnnotations: {
        'checksum/config': context.contentHash('api-config', { data: props.environment }),
      },
    })
  }
}
