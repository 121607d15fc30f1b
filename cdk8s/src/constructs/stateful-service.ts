import { Duration, Size } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { setRawField } from '../render/kube-object.ts'
import { type Component, objectName, selectorLabels, standardLabels } from '../render/labels.ts'
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
  secretDirectoryMount,
} from './pod-spec.ts'

export interface StatefulServiceProps {
  readonly component: Extract<Component, 'postgres' | 'redis' | 'minio'>
  /** Image reference with tag or digest. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** app.kubernetes.io/version: the product version the instance belongs to. */
  readonly version: string
  /** UID (and GID, fsGroup) the image's server runs as. */
  readonly uid: number
  readonly port: number
  /** @default - the image's command */
  readonly command?: string[]
  /** @default - the image's arguments */
  readonly args?: string[]
  /** @default - none */
  readonly environment?: Record<string, string>
  /** @default - none */
  readonly secretEnvironment?: readonly SecretEnvVar[]
  /** Writable emptyDir paths besides /tmp (the root filesystem is read-only). @default - none */
  readonly scratchPaths?: readonly string[]
  /** @default - none */
  readonly secretDirectories?: readonly SecretDirectory[]
  /** Where the PersistentVolumeClaim is mounted. */
  readonly dataPath: string
  /** PersistentVolumeClaim size, e.g. 20Gi. */
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  readonly resources: ResourceRequirements
  readonly readiness: kplus.Probe
  readonly liveness: kplus.Probe
  /** Runs before SIGTERM, e.g. a fast database shutdown. @default - none */
  readonly preStop?: string[]
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
}

/**
 * One replica of a stateful server: a StatefulSet with a PersistentVolumeClaim template, a
 * headless Service named like the StatefulSet (a stable DNS name for clients and TLS
 * certificates), its own ServiceAccount without a token, under Pod Security "restricted".
 */
export class StatefulService extends Construct {
  readonly name: string
  readonly selector: Record<string, string>

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id)
    const context = renderContextOf(this)
    this.name = objectName(context, props.component)
    this.selector = selectorLabels(context, props.component)
    const labels = standardLabels(context, props.component, props.version)
    const metadata = { name: this.name, labels }

    const service = new kplus.Service(this, 'service', {
      metadata,
      clusterIP: 'None',
      ports: [{ name: props.component, port: props.port, targetPort: props.port }],
    })
    for (const [key, value] of Object.entries(this.selector)) service.selectLabel(key, value)
    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata,
      automountToken: false,
    })
    const statefulSet = new kplus.StatefulSet(this, 'stateful-set', {
      metadata,
      service,
      select: false,
      replicas: 1,
      serviceAccount,
      automountServiceAccountToken: false,
      podMetadata: {
        labels,
        annotations: { ...props.podAnnotations, ...context.podTemplateAnnotations },
      },
      securityContext: restrictedPod(props.uid),
      terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds ?? 30),
      // The claim's size is configuration, which cdk8s-plus (fixed Size) cannot carry: this
      // template is replaced below. (Without one, cdk8s-plus also drops the pod's volumes.)
      volumeClaimTemplates: [{ name: DATA_VOLUME, storage: Size.gibibytes(1) }],
      containers: [
        {
          name: props.component,
          image: props.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy ?? 'IfNotPresent'),
          command: props.command,
          args: props.args,
          ports: [{ name: props.component, number: props.port }],
          envVariables: containerEnv(this, props.environment, props.secretEnvironment),
          volumeMounts: [
            // Named like the claim template, which takes its place in every pod.
            emptyDirMount(this, DATA_VOLUME, props.dataPath),
            emptyDirMount(this, 'tmp', '/tmp'),
            ...(props.scratchPaths ?? []).map((path, index) =>
              emptyDirMount(this, `scratch-${index}`, path),
            ),
            ...(props.secretDirectories ?? []).map((directory) =>
              secretDirectoryMount(this, directory),
            ),
          ],
          securityContext: restrictedContainer(props.uid),
          readiness: props.readiness,
          liveness: props.liveness,
          lifecycle: props.preStop
            ? { preStop: kplus.Handler.fromCommand(props.preStop) }
            : undefined,
        },
      ],
    })
    statefulSet.select(kplus.LabelSelector.of({ labels: this.selector }))
    patchPod(statefulSet, {
      podSpecPath: '/spec/template/spec',
      resources: [props.resources],
      imagePullSecrets: props.imagePullSecrets,
    })
    setRawField(statefulSet, '/spec/volumeClaimTemplates', [
      {
        metadata: { name: DATA_VOLUME, labels: this.selector },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: props.storage } },
          ...(props.storageClassName === undefined
            ? {}
            : { storageClassName: props.storageClassName }),
        },
      },
    ])
  }
}

const DATA_VOLUME = 'data'
