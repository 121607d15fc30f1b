// What the managed Postgres and Redis share: their props, the Prometheus exporter beside
// the server, and the sidecar that reloads the server's certificate when cert-manager (or
// anyone) renews it — Secret volumes update in place, but neither server rereads them alone.
import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { SIDECAR_RESOURCES } from '../defaults.ts'
import type { PodSettings, ResourceRequirements, SecretEnvVar } from './pod-spec.ts'
import type { Sidecar } from './stateful-service.ts'

export interface ManagedServiceProps {
  /** Image reference with tag or digest. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** app.kubernetes.io/version */
  readonly version: string
  /** PersistentVolumeClaim size, e.g. 20Gi. */
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  readonly resources: ResourceRequirements
  /** The Secret holding the passwords (key `password`, and for Postgres `superuser-password`). */
  readonly passwordSecretName: string
  /** kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt). @default - no TLS */
  readonly tlsSecretName?: string
  /** The exporter's image: a metrics sidecar. @default - none */
  readonly exporterImage?: string
  /** @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
}

/** Seconds between checks of the mounted certificate. */
const RELOAD_CHECK_SECONDS = 60

/**
 * A sidecar that hashes the mounted certificate every minute and runs `reload` when it
 * changed. `reload` talks to the server over its local socket or loopback.
 */
export function certificateReloader(options: {
  image: string
  tlsVolume: string
  tlsPath: string
  reload: string
  /** Volumes the reload command needs (e.g. the server's socket directory). */
  mounts?: readonly { volume: string; path: string }[]
  secretEnvironment?: readonly SecretEnvVar[]
}): Sidecar {
  const script = [
    'set -u',
    `fingerprint() { cat ${options.tlsPath}/tls.crt ${options.tlsPath}/tls.key ${options.tlsPath}/ca.crt | cksum; }`,
    'last=$(fingerprint)',
    `while sleep ${RELOAD_CHECK_SECONDS}; do`,
    '  now=$(fingerprint)',
    '  if [ "$now" != "$last" ]; then',
    `    if ${options.reload}; then last=$now; echo "certificate reloaded"; fi`,
    '  fi',
    'done',
  ].join('\n')
  return {
    name: 'certificate-reloader',
    image: options.image,
    command: ['sh', '-c', script],
    secretEnvironment: options.secretEnvironment,
    mounts: [{ volume: options.tlsVolume, path: options.tlsPath }, ...(options.mounts ?? [])],
    resources: SIDECAR_RESOURCES,
  }
}

/** A Prometheus exporter on a named port `metrics`, alive while its HTTP server answers. */
export function exporterSidecar(options: {
  image: string
  port: number
  environment?: Record<string, string>
  secretEnvironment?: readonly SecretEnvVar[]
  mounts?: readonly { volume: string; path: string }[]
}): Sidecar {
  return {
    name: 'metrics',
    image: options.image,
    environment: options.environment,
    secretEnvironment: options.secretEnvironment,
    mounts: options.mounts,
    port: { name: 'metrics', number: options.port },
    resources: SIDECAR_RESOURCES,
    probe: kplus.Probe.fromHttpGet('/', {
      port: options.port,
      periodSeconds: Duration.seconds(30),
      timeoutSeconds: Duration.seconds(5),
    }),
  }
}
