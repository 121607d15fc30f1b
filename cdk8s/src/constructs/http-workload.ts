import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { PORTS, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { type Component, objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { type AutoscalingTarget, ScaledDeploymentPolicies } from './autoscaling.ts'
import {
  containerEnv,
  emptyDirMount,
  patchPod,
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

export interface HttpProbes {
  /** Path that answers while the process lives. */
  readonly live: string
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
  /** Seconds between the preStop hook's start and SIGTERM: endpoints drop the pod meanwhile. */
  readonly preStopSeconds: number
  readonly terminationGracePeriodSeconds: number
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
}

/**
 * A stateless HTTP Deployment on port 8080 under Pod Security "restricted": its own
 * ServiceAccount without a token, probes, a drain on shutdown, spread over zones and nodes,
 * a ClusterIP Service, and the HPA and PDB.
 */
export class HttpWorkload extends Construct {
  readonly name: string
  readonly selector: Record<string, string>

  constructor(scope: Construct, id: string, props: HttpWorkloadProps) {
    super(scope, id)
    const context = renderContextOf(this)
    this.name = objectName(context, props.component)
    this.selector = selectorLabels(context, props.component)
    const labels = standardLabels(context, props.component, props.version)
    const metadata = { name: this.name, labels }

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata,
      automountToken: false,
    })
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata,
      select: false,
      replicas: props.replicas.min,
      serviceAccount,
      automountServiceAccountToken: false,
      podMetadata: {
        labels,
        annotations: { ...props.podAnnotations, ...context.podTemplateAnnotations },
      },
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
    deployment.select(kplus.LabelSelector.of({ labels: this.selector }))
    if (props.autoscaling) deployment.markHasAutoscaler()
    patchPod(deployment, {
      podSpecPath: '/spec/template/spec',
      resources: [props.resources],
      preStopSleepSeconds: props.preStopSeconds,
      imagePullSecrets: props.imagePullSecrets,
      topologySpread: this.selector,
    })

    const service = new kplus.Service(this, 'service', {
      metadata,
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
      labels,
      selector: this.selector,
      replicas: props.replicas,
      autoscaling: props.autoscaling,
    })
  }
}

function httpProbe(path: string, options: { period: number; failures: number }) {
  return kplus.Probe.fromHttpGet(path, {
    port: PORTS.http,
    periodSeconds: Duration.seconds(options.period),
    failureThreshold: options.failures,
    timeoutSeconds: Duration.seconds(2),
  })
}
