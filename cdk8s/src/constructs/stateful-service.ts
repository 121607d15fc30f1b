import { Duration, Size } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import type { Construct } from 'constructs'
import { STANDARD_LABELS } from '../defaults.ts'
import { setRawField } from '../render/kube-object.ts'
import type { Component } from '../render/labels.ts'
import {
  containerEnv,
  emptyDirMount,
  type PodSettings,
  pullPolicy,
  type ResourceRequirements,
  restrictedContainer,
  restrictedPod,
  type SecretDirectory,
  type SecretEnvVar,
} from './pod-spec.ts'
import { WorkloadBase } from './workload.ts'

/** Keys of a ConfigMap mounted as files, e.g. configuration or init scripts. */
export interface ConfigDirectory {
  readonly volume: string
  readonly configMapName: string
  readonly path: string
  readonly keys: readonly string[]
  /** @default 0o444 */
  readonly mode?: number
}

/** A container beside the server: an exporter, a certificate reloader. */
export interface Sidecar {
  readonly name: string
  readonly image: string
  readonly command?: string[]
  readonly args?: string[]
  /** @default - none */
  readonly environment?: Record<string, string>
  /** @default - none */
  readonly secretEnvironment?: readonly SecretEnvVar[]
  /** Volumes of the pod it mounts (read-only), by volume name and path. @default - none */
  readonly mounts?: readonly { readonly volume: string; readonly path: string }[]
  /** A named port, e.g. metrics. @default - none */
  readonly port?: { readonly name: string; readonly number: number }
  readonly resources: ResourceRequirements
  /** Liveness of the sidecar (the server's probes decide readiness). @default - none */
  readonly probe?: kplus.Probe
}

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
  /** @default - none */
  readonly configDirectories?: readonly ConfigDirectory[]
  /** Where the PersistentVolumeClaim is mounted. */
  readonly dataPath: string
  /** PersistentVolumeClaim size, e.g. 20Gi. */
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  readonly resources: ResourceRequirements
  /** Until it succeeds, liveness and readiness wait (recovery, first init). */
  readonly startup: kplus.Probe
  /** Fails only when the server is stuck: the kubelet restarts it. */
  readonly liveness: kplus.Probe
  /** Fails while the server cannot serve: clients are not sent to it. */
  readonly readiness: kplus.Probe
  /** Runs before SIGTERM, e.g. a fast database shutdown. @default - none */
  readonly preStop?: string[]
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
  /** @default - none */
  readonly sidecars?: readonly Sidecar[]
  /** @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
}

/**
 * One replica of a stateful server: a StatefulSet with a PersistentVolumeClaim template, a
 * headless Service named like the StatefulSet (a stable DNS name for clients and TLS
 * certificates; sidecar ports such as metrics too), its own ServiceAccount without a token,
 * under Pod Security "restricted".
 */
export class StatefulService extends WorkloadBase {
  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props)
    const sidecars = props.sidecars ?? []
    const service = new kplus.Service(this, 'service', {
      metadata: this.metadata,
      clusterIP: 'None',
      ports: [
        { name: props.component, port: props.port, targetPort: props.port },
        ...sidecars.flatMap(({ port }) =>
          port ? [{ name: port.name, port: port.number, targetPort: port.number }] : [],
        ),
      ],
    })
    for (const [key, value] of Object.entries(this.selector)) service.selectLabel(key, value)
    const volumes = new Map<string, kplus.Volume>()
    const mount = (name: string, path: string, volume: kplus.Volume, readOnly = false) => {
      volumes.set(name, volume)
      return { path, volume, readOnly }
    }
    const statefulSet = new kplus.StatefulSet(this, 'stateful-set', {
      metadata: this.metadata,
      service,
      select: false,
      replicas: 1,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      podMetadata: this.storePodMetadata(props.podAnnotations),
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
            ...(props.scratchPaths ?? []).map((path, index) => {
              const volume = kplus.Volume.fromEmptyDir(
                this,
                `scratch-${index}-volume`,
                `scratch-${index}`,
              )
              return mount(`scratch-${index}`, path, volume)
            }),
            ...(props.secretDirectories ?? []).map((directory) =>
              mount(directory.volume, directory.path, secretVolume(this, directory), true),
            ),
            ...(props.configDirectories ?? []).map((directory) =>
              mount(directory.volume, directory.path, configVolume(this, directory), true),
            ),
          ],
          securityContext: restrictedContainer(props.uid),
          startup: props.startup,
          readiness: props.readiness,
          liveness: props.liveness,
          lifecycle: props.preStop
            ? { preStop: kplus.Handler.fromCommand(props.preStop) }
            : undefined,
        },
        ...sidecars.map((sidecar) => ({
          name: sidecar.name,
          image: sidecar.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy ?? 'IfNotPresent'),
          command: sidecar.command,
          args: sidecar.args,
          ports: sidecar.port ? [sidecar.port] : undefined,
          envVariables: containerEnv(
            this,
            sidecar.environment,
            sidecar.secretEnvironment,
            `${sidecar.name}-`,
          ),
          volumeMounts: [
            emptyDirMount(this, `${sidecar.name}-tmp`, '/tmp'),
            ...(sidecar.mounts ?? []).map(({ volume, path }) => {
              const shared = volumes.get(volume)
              if (!shared)
                throw new Error(
                  `${this.node.path}: sidecar ${sidecar.name} mounts unknown volume ${volume}`,
                )
              return { path, volume: shared, readOnly: true }
            }),
          ],
          securityContext: restrictedContainer(props.uid),
          liveness: sidecar.probe,
        })),
      ],
    })
    this.finish(statefulSet, {
      resources: [props.resources, ...sidecars.map((sidecar) => sidecar.resources)],
      imagePullSecrets: props.imagePullSecrets,
    })
    // Deleting or scaling the StatefulSet never deletes the data (the default, said out
    // loud): the volumes outlive an uninstall, and so do the credentials that open them.
    setRawField(statefulSet, '/spec/persistentVolumeClaimRetentionPolicy', {
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
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

  /**
   * A data store's pod template carries neither the product version nor the operator's
   * certificate hash: an upgrade of the app, or a certificate the reloader sidecar picks up in
   * place, must not restart the database under the API (one replica: that is downtime).
   */
  private storePodMetadata(annotations: Record<string, string> = {}) {
    const { [STANDARD_LABELS.version]: _version, ...labels } = this.labels
    return { labels, annotations }
  }
}

const DATA_VOLUME = 'data'

function secretVolume(scope: Construct, directory: SecretDirectory): kplus.Volume {
  return kplus.Volume.fromSecret(
    scope,
    `${directory.volume}-volume`,
    kplus.Secret.fromSecretName(scope, `${directory.volume}-secret`, directory.secretName),
    { name: directory.volume, defaultMode: directory.mode },
  )
}

function configVolume(scope: Construct, directory: ConfigDirectory): kplus.Volume {
  return kplus.Volume.fromConfigMap(
    scope,
    `${directory.volume}-volume`,
    kplus.ConfigMap.fromConfigMapName(scope, `${directory.volume}-config`, directory.configMapName),
    {
      name: directory.volume,
      defaultMode: directory.mode ?? 0o444,
      items: Object.fromEntries(directory.keys.map((key) => [key, { path: key }])),
    },
  )
}
