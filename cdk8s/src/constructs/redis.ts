import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { IMAGES, PORTS, REDIS_RESOURCES, UIDS } from '../defaults.ts'
import type { ResourceRequirements } from './pod-spec.ts'
import { StatefulService } from './stateful-service.ts'

export interface RedisProps {
  /** @default IMAGES.redis (the official redis:7) */
  readonly image?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  /** PersistentVolumeClaim size for the RDB snapshots. */
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  /** @default REDIS_RESOURCES */
  readonly resources?: ResourceRequirements
  readonly passwordSecret: { readonly name: string; readonly key: string }
  /** kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt). @default - no TLS */
  readonly tlsSecretName?: string
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
}

const TLS = '/etc/redis/tls'

/**
 * The seed's snapshot schedule: after 900 s with 1 change, 300 s with 10, 60 s with 10000.
 * RDB only (no AOF): sessions and rate limits survive a restart, at most minutes are lost.
 */
export const RDB_SAVE_POINTS = ['900 1', '300 10', '60 10000']

/** Redis 7 from the official image as its `redis` user (UID 999), password and RDB on a PVC. */
export class Redis extends Construct {
  readonly service: StatefulService

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id)
    const listen = props.tlsSecretName
      ? [
          '--port',
          '0',
          '--tls-port',
          String(PORTS.redis),
          '--tls-cert-file',
          `${TLS}/tls.crt`,
          '--tls-key-file',
          `${TLS}/tls.key`,
          '--tls-ca-cert-file',
          `${TLS}/ca.crt`,
          // Clients authenticate with the password; they need no certificate of their own.
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(PORTS.redis)]
    this.service = new StatefulService(this, 'server', {
      component: 'redis',
      image: props.image ?? IMAGES.redis,
      imagePullSecrets: props.imagePullSecrets,
      version: props.version,
      uid: UIDS.redis,
      port: PORTS.redis,
      command: ['redis-server'],
      args: [
        ...listen,
        // Kubernetes expands $(REDIS_PASSWORD) from the environment: the password never
        // appears in the pod spec, and Redis hides its arguments from the process title.
        '--requirepass',
        '$(REDIS_PASSWORD)',
        ...RDB_SAVE_POINTS.flatMap((point) => ['--save', point]),
        '--appendonly',
        'no',
        '--dir',
        '/data',
      ],
      secretEnvironment: [
        {
          name: 'REDIS_PASSWORD',
          secretName: props.passwordSecret.name,
          key: props.passwordSecret.key,
        },
      ],
      secretDirectories: props.tlsSecretName
        ? [{ volume: 'tls', secretName: props.tlsSecretName, path: TLS, mode: 0o440 }]
        : [],
      dataPath: '/data',
      storage: props.storage,
      storageClassName: props.storageClassName,
      resources: props.resources ?? REDIS_RESOURCES,
      readiness: kplus.Probe.fromTcpSocket({
        port: PORTS.redis,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 3,
      }),
      liveness: kplus.Probe.fromTcpSocket({
        port: PORTS.redis,
        initialDelaySeconds: Duration.seconds(15),
        periodSeconds: Duration.seconds(10),
        failureThreshold: 6,
      }),
      podAnnotations: props.podAnnotations,
    })
  }
}
