import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import type { Construct } from 'constructs'
import { PORTS, UIDS } from '../defaults.ts'
import type { Component } from '../render/labels.ts'
import {
  type AutoscalingTarget,
  type DisruptionBudget,
  ScaledDeploymentPolicies,
} from './autoscaling.ts'
import {
  containerEnv,
  emptyDirMount,
  type PodSettings,
  type PreStop,
  pullPolicy,
  type ResourceRequirements,
  restrictedContainer,
  restrictedPod,
  type SecretDirectory,
  type SecretEnvVar,
  type SecretFile,
  secretDirectoryMount,
  secretFileMounts,
} from './pod-spec.ts'
import { WorkloadBase } from './workload.ts'

export interface HttpProbes {
  /** Path that answers while the process lives; `tcp`: the port accepts connections. */
  readonly live: string | 'tcp'
  /** Path that answers while the pod should get traffic. */
  readonly ready: string
  /** Seconds a first start may take before liveness counts. */
  readonly startupSeconds: number
}

export interface HttpWorkloadProps {
  readonly component: Extract<Component, 'api' | 'web'>
  /** Image reference with tag. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** app.kubernetes.io/version */
  readonly version: string
  /** @default - the image's command */
  readonly args?: string[]
  readonly replicas: { readonly min: number; readonly max: number }
  /** @default - no HorizontalPodAutoscaler: the Deployment runs replicas.min */
  readonly autoscaling?: AutoscalingTarget
  /** @default - a PodDisruptionBudget with maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudget
  readonly resources: ResourceRequirements
  /** @default - none */
  readonly environment?: Record<string, string>
  /** ConfigMap whose keys become environment variables. @default - none */
  readonly environmentConfigMap?: string
  /** @default - none */
  readonly secretEnvironment?: readonly SecretEnvVar[]
  /** @default - none */
  readonly secretFiles?: readonly SecretFile[]
  /** Whole Secrets as directories (keyrings). @default - none */
  readonly secretDirectories?: readonly SecretDirectory[]
  /** A second port, `metrics`, on the container and the Service. @default - none */
  readonly metricsPort?: number
  readonly probes: HttpProbes
  /** Between the preStop hook's start and SIGTERM: endpoints drop the pod meanwhile. */
  readonly preStop: PreStop
  readonly terminationGracePeriodSeconds: number
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
  /** Scheduling, spread and extras (schema/workload.ts). @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
}

/**
 * A stateless HTTP Deployment on port 8080 under Pod Security "restricted": its own
 * ServiceAccount without a token, distinct startup, liveness and readiness probes, a drain
 * on shutdown, the configured spread and scheduling, a ClusterIP Service, and the HPA and PDB.
 */
export class HttpWorkload extends WorkloadBase {
  constructor(scope: Construct, id: string, props: HttpWorkloadProps) {
    super(scope, id, props)
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: this.metadata,
      select: false,
      replicas: props.replicas.min,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      podMetadata: this.podMetadata(props.podAnnotations),
      securityContext: restrictedPod(UIDS.helpdesk),
      terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds),
      // A new pod must be ready before an old one goes: no capacity dip during a rollout.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      containers: [
        {
          name: props.component,
          image: props.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy ?? 'IfNotPresent'),
          args: props.args,
          ports: [
            { name: 'http', number: PORTS.http },
            ...(props.metricsPort ? [{ name: 'metrics', number: props.metricsPort }] : []),
          ],
          envFrom: props.environmentConfigMap
            ? [
                kplus.Env.fromConfigMap(
                  kplus.ConfigMap.fromConfigMapName(this, 'env', props.environmentConfigMap),
                ),
              ]
            : undefined,
          envVariables: containerEnv(this, props.environment, props.secretEnvironment),
          volumeMounts: [
            emptyDirMount(this, 'tmp', '/tmp'),
            ...secretFileMounts(this, props.secretFiles ?? []),
            ...(props.secretDirectories ?? []).map((directory) =>
              secretDirectoryMount(this, directory),
            ),
          ],
          securityContext: restrictedContainer(UIDS.helpdesk),
          startup: httpProbe(props.probes.live, {
            period: 5,
            failures: Math.ceil(props.probes.startupSeconds / 5),
          }),
          liveness: httpProbe(props.probes.live, { period: 10, failures: 3 }),
          readiness: httpProbe(props.probes.ready, { period: 5, failures: 2 }),
        },
      ],
    })
    if (props.autoscaling) deployment.markHasAutoscaler()
    this.finish(deployment, {
      resources: [props.resources],
      preStop: props.preStop,
      imagePullSecrets: props.imagePullSecrets,
    })

    const service = new kplus.Service(this, 'service', {
      metadata: this.metadata,
      ports: [
        { name: 'http', port: PORTS.http, targetPort: PORTS.http },
        ...(props.metricsPort
          ? [{ name: 'metrics', port: props.metricsPort, targetPort: props.metricsPort }]
          : []),
      ],
    })
    for (const [key, value] of Object.entries(this.selector)) service.selectLabel(key, value)

    new ScaledDeploymentPolicies(this, 'policies', {
      name: this.name,
      labels: this.labels,
      selector: this.selector,
      replicas: props.replicas,
      autoscaling: props.autoscaling,
      disruptionBudget: props.disruptionBudget,
    })
  }
}

function httpProbe(path: string, options: { period: number; failures: number }) {
  const timing = {
    periodSeconds: Duration.seconds(options.period),
    failureThreshold: options.failures,
    timeoutSeconds: Duration.seconds(2),
  }
  return path === 'tcp'
    ? kplus.Probe.fromTcpSocket({ port: PORTS.http, ...timing })
    : kplus.Probe.fromHttpGet(path, { port: PORTS.http, ...timing })
}
