import { ApiObject, Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import type { Construct } from 'constructs'
import { PORTS, UIDS } from '../defaults.ts'
import { type DisruptionBudget, ScaledDeploymentPolicies } from './autoscaling.ts'
import {
  emptyDirMount,
  type PodSettings,
  pullPolicy,
  type ResourceRequirements,
  restrictedContainer,
  restrictedPod,
} from './pod-spec.ts'
import { WorkloadBase } from './workload.ts'

export interface OperatorProps {
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  readonly replicas: number
  readonly resources: ResourceRequirements
  /** Environment of operator/src/main.ts (operator/README.md "Configuration"). */
  readonly environment: Record<string, string>
  /** Seconds in-flight reconciles get after SIGTERM. */
  readonly shutdownGraceSeconds: number
  /** @default - maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudget
  /** @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
  /** A ServiceMonitor: scrape interval and the labels Prometheus selects by. @default - none */
  readonly serviceMonitor?: { readonly interval: string; readonly labels: Record<string, string> }
}

/**
 * The operator: a Deployment of leader-elected replicas under Pod Security "restricted",
 * its ServiceAccount (the one pod that talks to the Kubernetes API), a metrics Service and
 * optional ServiceMonitor. Liveness (/healthz) says the process works; readiness (/readyz)
 * that it has joined the election and, when leading, synced its caches.
 */
export class Operator extends WorkloadBase {
  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id, {
      ...props,
      component: 'operator',
      appName: 'helpdesk-operator',
      automountToken: true,
    })
    const probe = (path: string, period: number, failures: number) =>
      kplus.Probe.fromHttpGet(path, {
        port: PORTS.http,
        periodSeconds: Duration.seconds(period),
        failureThreshold: failures,
        timeoutSeconds: Duration.seconds(2),
      })
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: this.metadata,
      select: false,
      replicas: props.replicas,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      podMetadata: this.podMetadata(),
      securityContext: restrictedPod(UIDS.helpdesk),
      terminationGracePeriod: Duration.seconds(props.shutdownGraceSeconds + 5),
      containers: [
        {
          name: 'operator',
          image: props.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy ?? 'IfNotPresent'),
          ports: [{ name: 'metrics', number: PORTS.http }],
          envVariables: {
            ...Object.fromEntries(
              Object.entries(props.environment).map(([key, value]) => [
                key,
                kplus.EnvValue.fromValue(value),
              ]),
            ),
            POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
            POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
          },
          volumeMounts: [emptyDirMount(this, 'tmp', '/tmp')],
          securityContext: restrictedContainer(UIDS.helpdesk),
          startup: probe('/healthz', 2, 30),
          liveness: probe('/healthz', 10, 3),
          readiness: probe('/readyz', 5, 2),
        },
      ],
    })
    this.finish(deployment, {
      resources: [props.resources],
      imagePullSecrets: props.imagePullSecrets,
    })
    const service = new kplus.Service(this, 'service', {
      metadata: this.metadata,
      ports: [{ name: 'metrics', port: PORTS.http, targetPort: PORTS.http }],
    })
    for (const [key, value] of Object.entries(this.selector)) service.selectLabel(key, value)
    new ScaledDeploymentPolicies(this, 'policies', {
      name: this.name,
      labels: this.labels,
      selector: this.selector,
      replicas: { min: props.replicas, max: props.replicas },
      disruptionBudget: props.disruptionBudget,
    })
    if (props.serviceMonitor) {
      new ApiObject(this, 'service-monitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { ...this.metadata, labels: { ...this.labels, ...props.serviceMonitor.labels } },
        spec: {
          selector: { matchLabels: this.selector },
          endpoints: [
            {
              port: 'metrics',
              path: '/metrics',
              interval: props.serviceMonitor.interval,
              // /metrics asks the API server whether the scraper's token may read it.
              bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
            },
          ],
        },
      })
    }
  }
}
