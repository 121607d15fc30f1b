import { Construct } from 'constructs'
import { WEB_DRAIN, WEB_RESOURCES } from '../defaults.ts'
import type { AutoscalingTarget, DisruptionBudget } from './autoscaling.ts'
import { HttpWorkload } from './http-workload.ts'
import type { PodSettings, ResourceRequirements } from './pod-spec.ts'

export interface WebProps {
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
  /** @default WEB_RESOURCES */
  readonly resources?: ResourceRequirements
  /** The API Service, scheme://host:port: nginx proxies /api/ there. */
  readonly apiUpstream: string
  /** nginx client_max_body_size, e.g. 30m: must exceed the API's attachment limit. */
  readonly clientMaxBodySize: string
}

/** The web app: nginx serving the built SPA and proxying /api/ to the API Service. */
export class Web extends Construct {
  readonly workload: HttpWorkload

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id)
    this.workload = new HttpWorkload(this, 'workload', {
      ...props,
      component: 'web',
      resources: props.resources ?? WEB_RESOURCES,
      environment: {
        API_UPSTREAM: props.apiUpstream,
        CLIENT_MAX_BODY_SIZE: props.clientMaxBodySize,
      },
      // nginx alone, never through the API, so that an API outage does not restart or
      // unready web pods: alive while it accepts connections, ready while it serves the SPA.
      probes: { live: 'tcp', ready: '/', startupSeconds: 60 },
      preStop: { seconds: WEB_DRAIN.preStopSeconds },
      terminationGracePeriodSeconds: WEB_DRAIN.terminationGracePeriodSeconds,
    })
  }
}
