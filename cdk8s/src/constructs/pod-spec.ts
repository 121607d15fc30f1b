// What every pod we ship shares: Pod Security "restricted" settings, a writable /tmp on a
// read-only root filesystem, environment and files from Secrets, the platform team's pod
// settings (scheduling, extra env and volumes), and the JSON patches for the pod fields
// cdk8s-plus cannot express.
import * as kplus from 'cdk8s-plus-33'
import type { Construct } from 'constructs'
import { patchRawField, setRawField } from '../render/kube-object.ts'

export type Quantity = string | number

export interface Compute {
  readonly cpu?: Quantity
  readonly memory?: Quantity
  readonly ephemeralStorage?: Quantity
}

/** Requests and limits as the schema has them (ephemeralStorage for ephemeral-storage). */
export interface ResourceRequirements {
  readonly requests?: Compute
  readonly limits?: Compute
}

/** ResourceRequirements (core/v1). */
export function kubernetesResources(resources: ResourceRequirements) {
  const compute = (values: Compute | undefined) =>
    values && {
      ...(values.cpu === undefined ? {} : { cpu: values.cpu }),
      ...(values.memory === undefined ? {} : { memory: values.memory }),
      ...(values.ephemeralStorage === undefined
        ? {}
        : { 'ephemeral-storage': values.ephemeralStorage }),
    }
  return { requests: compute(resources.requests), limits: compute(resources.limits) }
}

type KubernetesObject = Readonly<Record<string, unknown>>

/**
 * What a platform team sets on a component's pods (schema/workload.ts). Configured values
 * are opaque: they are placed, never inspected.
 */
export interface PodSettings {
  readonly nodeSelector?: Readonly<Record<string, string>>
  readonly tolerations?: readonly KubernetesObject[]
  readonly affinity?: KubernetesObject
  readonly priorityClassName?: string
  readonly podAnnotations?: Readonly<Record<string, string>>
  readonly podLabels?: Readonly<Record<string, string>>
  readonly extraEnv?: readonly KubernetesObject[]
  readonly extraEnvFrom?: readonly KubernetesObject[]
  readonly extraVolumes?: readonly KubernetesObject[]
  readonly extraVolumeMounts?: readonly KubernetesObject[]
  /** Deployments with replicas. @default - none */
  readonly topologySpreadConstraints?: readonly KubernetesObject[]
}

/** Where a component's pods are scheduled: the same for pods of every kind. */
export function scheduling(settings: PodSettings) {
  return {
    ...(settings.nodeSelector ? { nodeSelector: settings.nodeSelector } : {}),
    ...(settings.tolerations ? { tolerations: settings.tolerations } : {}),
    ...(settings.affinity ? { affinity: settings.affinity } : {}),
    ...(settings.priorityClassName === undefined
      ? {}
      : { priorityClassName: settings.priorityClassName }),
    ...(settings.topologySpreadConstraints
      ? { topologySpreadConstraints: settings.topologySpreadConstraints }
      : {}),
  }
}

/** The pod settings without what only the main container of a long-running pod takes. */
export function schedulingOnly(settings: PodSettings): PodSettings {
  return {
    nodeSelector: settings.nodeSelector,
    tolerations: settings.tolerations,
    affinity: settings.affinity,
    priorityClassName: settings.priorityClassName,
  }
}

/** An environment variable read from a Secret. */
export interface SecretEnvVar {
  readonly name: string
  readonly secretName: string
  readonly key: string
  /** The container starts without it when the key is missing. @default false */
  readonly optional?: boolean
}

/** One key of a Secret mounted as a read-only file. */
export interface SecretFile {
  /** Volume name, unique in the pod. */
  readonly volume: string
  readonly secretName: string
  readonly key: string
  /** Directory the file appears in; the file is named after the key. */
  readonly directory: string
}

/** Container settings Pod Security "restricted" requires, for a fixed UID. */
export function restrictedContainer(uid: number): kplus.ContainerSecurityContextProps {
  return {
    user: uid,
    group: uid,
    ensureNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  }
}

export function restrictedPod(uid: number): kplus.PodSecurityContextProps {
  return {
    user: uid,
    group: uid,
    fsGroup: uid,
    // Only walk the volume when its root has the wrong owner: a large PVC otherwise
    // delays every start by a recursive chown.
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    ensureNonRoot: true,
  }
}

export function emptyDirMount(scope: Construct, name: string, path: string): kplus.VolumeMount {
  return { path, volume: kplus.Volume.fromEmptyDir(scope, `${name}-volume`, name) }
}

/** A container's environment: plain values, then variables read from Secrets. */
export function containerEnv(
  scope: Construct,
  plain: Readonly<Record<string, string>> = {},
  secret: readonly SecretEnvVar[] = [],
  /** Distinguishes the construct ids of several containers' variables. */
  container = '',
): Record<string, kplus.EnvValue> {
  return Object.fromEntries([
    ...Object.entries(plain).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)]),
    ...secret.map((variable) => [
      variable.name,
      kplus.EnvValue.fromSecretValue(
        {
          secret: kplus.Secret.fromSecretName(
            scope,
            `${container}env-${variable.name}`,
            variable.secretName,
          ),
          key: variable.key,
        },
        variable.optional ? { optional: true } : {},
      ),
    ]),
  ])
}

export function secretFileMounts(
  scope: Construct,
  files: readonly SecretFile[],
): kplus.VolumeMount[] {
  return files.map((file) => ({
    path: file.directory,
    readOnly: true,
    volume: kplus.Volume.fromSecret(
      scope,
      `${file.volume}-volume`,
      kplus.Secret.fromSecretName(scope, `${file.volume}-secret`, file.secretName),
      { name: file.volume, items: { [file.key]: { path: file.key } }, defaultMode: 0o444 },
    ),
  }))
}

/** A Secret mounted whole, e.g. a TLS key pair the server reads, or a keyring. */
export interface SecretDirectory {
  readonly volume: string
  readonly secretName: string
  readonly path: string
  /** File mode; servers such as Postgres refuse keys readable by others. */
  readonly mode: number
}

export function secretDirectoryMount(
  scope: Construct,
  directory: SecretDirectory,
): kplus.VolumeMount {
  return {
    path: directory.path,
    readOnly: true,
    volume: kplus.Volume.fromSecret(
      scope,
      `${directory.volume}-volume`,
      kplus.Secret.fromSecretName(scope, `${directory.volume}-secret`, directory.secretName),
      { name: directory.volume, defaultMode: directory.mode },
    ),
  }
}

export function pullPolicy(policy: string): kplus.ImagePullPolicy {
  return policy as kplus.ImagePullPolicy
}

/**
 * What a container does between being told it will stop and SIGTERM, while endpoints and
 * ingresses stop sending it new connections: wait, and with `signal`, first tell the process
 * (PID 1, tini, passes it on) so it can ask keep-alive clients to reconnect elsewhere.
 */
export interface PreStop {
  readonly seconds: number
  readonly signal?: 'USR2'
}

function preStopHandler(preStop: PreStop) {
  // The sleep action (GA in Kubernetes 1.34) needs no `sleep` binary in the image.
  if (!preStop.signal) return { sleep: { seconds: preStop.seconds } }
  return {
    exec: { command: ['/bin/sh', '-c', `kill -${preStop.signal} 1; sleep ${preStop.seconds}`] },
  }
}

/** Fields of the pod spec and its containers that cdk8s-plus has no props for. */
export interface PodPatches {
  /** Base JSON pointer of the pod template, e.g. /spec/template. */
  readonly templatePath: string
  /** Per container, in order. @default - cdk8s-plus's own defaults */
  readonly resources?: readonly (ResourceRequirements | undefined)[]
  /** The first container's preStop hook. @default - none */
  readonly preStop?: PreStop
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** Scheduling and the extras of the first container. @default - none */
  readonly settings?: PodSettings
}

export function patchPod(object: Construct, patches: PodPatches): void {
  const template = patches.templatePath
  const base = `${template}/spec`
  patches.resources?.forEach((resources, index) => {
    if (resources) {
      setRawField(object, `${base}/containers/${index}/resources`, kubernetesResources(resources))
    }
  })
  if (patches.preStop) {
    setRawField(object, `${base}/containers/0/lifecycle`, {
      preStop: preStopHandler(patches.preStop),
    })
  }
  if (patches.imagePullSecrets) {
    setRawField(object, `${base}/imagePullSecrets`, patches.imagePullSecrets)
  }
  const settings = patches.settings
  if (!settings) return
  for (const [field, value] of Object.entries(scheduling(settings))) {
    setRawField(object, `${base}/${field}`, value)
  }
  // Configured maps go last: their keys win (see "Rules for construct authors").
  const extend = (pointer: string, extra: object | undefined) => {
    if (extra) patchRawField(object, pointer, (current) => ({ ...(current as object), ...extra }))
  }
  extend(`${template}/metadata/labels`, settings.podLabels)
  extend(`${template}/metadata/annotations`, settings.podAnnotations)
  const append = (pointer: string, extra: readonly unknown[] | undefined) => {
    if (extra)
      patchRawField(object, pointer, (current) => [...((current as unknown[]) ?? []), ...extra])
  }
  append(`${base}/containers/0/env`, settings.extraEnv)
  append(`${base}/containers/0/envFrom`, settings.extraEnvFrom)
  append(`${base}/containers/0/volumeMounts`, settings.extraVolumeMounts)
  append(`${base}/volumes`, settings.extraVolumes)
}

/** Pod Security "restricted" pod settings as plain JSON, for pod specs built without cdk8s-plus. */
export function podSecurityJson(uid: number) {
  return {
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  }
}

export function containerSecurityJson(uid: number) {
  return {
    runAsUser: uid,
    runAsGroup: uid,
    runAsNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  }
}

export interface JobContainer {
  readonly name: string
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  readonly args: readonly string[]
  /** @default - none */
  readonly environment?: Record<string, string>
  /** @default - none */
  readonly secretEnvironment?: readonly SecretEnvVar[]
  /** Plain env entries appended last (they may refer to earlier ones as $(NAME)). @default - none */
  readonly extraEnv?: readonly { readonly name: string; readonly value: string }[]
  /** @default - none */
  readonly secretFiles?: readonly SecretFile[]
  /** Whole Secrets mounted read-only as directories. @default - none */
  readonly secretDirectories?: readonly {
    readonly volume: string
    readonly secretName: string
    readonly path: string
  }[]
  readonly resources: ResourceRequirements
}

export interface JobPodProps {
  readonly uid: number
  readonly labels: Record<string, string>
  /** @default - none */
  readonly annotations?: Record<string, string>
  /** Run in order before the containers. @default - none */
  readonly initContainers?: readonly JobContainer[]
  readonly containers: readonly JobContainer[]
  /** @default Never */
  readonly restartPolicy?: 'Never' | 'OnFailure'
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** Scheduling, and extras for every container. @default - none */
  readonly settings?: PodSettings
  /** @default - the namespace's default ServiceAccount */
  readonly serviceAccountName?: string
}

/**
 * A pod template for Jobs (and test pods) as plain JSON: Jobs are named after a hash of
 * their template, so the template must exist before the object does.
 */
export function jobPodTemplate(props: JobPodProps) {
  const settings = props.settings ?? {}
  const containers = [...(props.initContainers ?? []), ...props.containers]
  const volumes = new Map<string, unknown>([['tmp', { name: 'tmp', emptyDir: {} }]])
  for (const container of containers) {
    for (const file of container.secretFiles ?? []) {
      volumes.set(file.volume, {
        name: file.volume,
        secret: {
          secretName: file.secretName,
          items: [{ key: file.key, path: file.key }],
          defaultMode: 0o444,
        },
      })
    }
    for (const directory of container.secretDirectories ?? []) {
      volumes.set(directory.volume, {
        name: directory.volume,
        secret: { secretName: directory.secretName, defaultMode: 0o440 },
      })
    }
  }
  const toContainer = (container: JobContainer) => ({
    name: container.name,
    image: container.image,
    imagePullPolicy: container.imagePullPolicy ?? 'IfNotPresent',
    args: [...container.args],
    env: [
      ...Object.entries(container.environment ?? {}).map(([name, value]) => ({ name, value })),
      ...(container.secretEnvironment ?? []).map((variable) => ({
        name: variable.name,
        valueFrom: {
          secretKeyRef: {
            name: variable.secretName,
            key: variable.key,
            ...(variable.optional ? { optional: true } : {}),
          },
        },
      })),
      ...(container.extraEnv ?? []),
      ...(settings.extraEnv ?? []),
    ],
    ...(settings.extraEnvFrom ? { envFrom: settings.extraEnvFrom } : {}),
    resources: kubernetesResources(container.resources),
    securityContext: containerSecurityJson(props.uid),
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...(container.secretFiles ?? []).map((file) => ({
        name: file.volume,
        mountPath: file.directory,
        readOnly: true,
      })),
      ...(container.secretDirectories ?? []).map((directory) => ({
        name: directory.volume,
        mountPath: directory.path,
        readOnly: true,
      })),
      ...(settings.extraVolumeMounts ?? []),
    ],
  })
  const annotations = { ...props.annotations, ...settings.podAnnotations }
  return {
    metadata: {
      labels: { ...props.labels, ...settings.podLabels },
      ...(Object.keys(props.annotations ?? {}).length || settings.podAnnotations
        ? { annotations }
        : {}),
    },
    spec: {
      restartPolicy: props.restartPolicy ?? 'Never',
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityJson(props.uid),
      ...(props.imagePullSecrets ? { imagePullSecrets: props.imagePullSecrets } : {}),
      ...scheduling(settings),
      ...(props.initContainers?.length
        ? { initContainers: props.initContainers.map(toContainer) }
        : {}),
      containers: props.containers.map(toContainer),
      volumes: [...volumes.values(), ...(settings.extraVolumes ?? [])],
    },
  }
}
