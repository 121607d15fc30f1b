import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { PORTS, UIDS } from '../defaults.ts'
import {
  certificateReloader,
  exporterSidecar,
  type ManagedServiceProps,
} from './managed-service.ts'
import type { SecretEnvVar } from './pod-spec.ts'
import { StatefulService } from './stateful-service.ts'

export interface RedisProps extends ManagedServiceProps {
  /** Log every write besides the snapshots (AOF). */
  readonly appendOnly: { readonly enabled: boolean; readonly fsync: string }
}

const TLS = '/etc/redis/tls'

/**
 * The seed's snapshot schedule: after 900 s with 1 change, 300 s with 10, 60 s with 10000.
 * With AOF off, sessions and rate limits survive a restart and at most minutes are lost.
 */
export const RDB_SAVE_POINTS = ['900 1', '300 10', '60 10000']

/**
 * Redis 7 (or Valkey, which answers to the same commands) from the official image as its
 * `redis` user (UID 999): password, RDB snapshots (and optionally AOF) on a PVC. Liveness
 * asks whether the port is open, readiness whether the server answers PING.
 */
export class Redis extends Construct {
  readonly service: StatefulService

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id)
    const tls = props.tlsSecretName !== undefined
    const listen = tls
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
    const password: SecretEnvVar = {
      name: 'REDIS_PASSWORD',
      secretName: props.passwordSecretName,
      key: 'password',
    }
    // redis-cli over loopback; the server's certificate names the Service, not 127.0.0.1.
    const cli = `REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p ${PORTS.redis}${tls ? ' --tls --insecure' : ''}`
    const port = (options: { period: number; failures: number }) =>
      kplus.Probe.fromTcpSocket({
        port: PORTS.redis,
        periodSeconds: Duration.seconds(options.period),
        failureThreshold: options.failures,
      })
    this.service = new StatefulService(this, 'server', {
      component: 'redis',
      image: props.image,
      imagePullPolicy: props.imagePullPolicy,
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
        props.appendOnly.enabled ? 'yes' : 'no',
        '--appendfsync',
        props.appendOnly.fsync,
        '--dir',
        '/data',
      ],
      secretEnvironment: [password],
      secretDirectories: tls
        ? [{ volume: 'tls', secretName: props.tlsSecretName as string, path: TLS, mode: 0o440 }]
        : [],
      dataPath: '/data',
      storage: props.storage,
      storageClassName: props.storageClassName,
      resources: props.resources,
      // Loading a large AOF or RDB at start may take minutes.
      startup: port({ period: 5, failures: 120 }),
      liveness: port({ period: 10, failures: 6 }),
      readiness: kplus.Probe.fromCommand(['sh', '-c', `${cli} ping | grep -q PONG`], {
        periodSeconds: Duration.seconds(5),
        failureThreshold: 3,
        timeoutSeconds: Duration.seconds(3),
      }),
      sidecars: [
        ...(tls
          ? [
              certificateReloader({
                image: props.image,
                tlsVolume: 'tls',
                tlsPath: TLS,
                secretEnvironment: [password],
                // Setting the TLS files again makes Redis load them anew.
                reload: `${cli} CONFIG SET tls-cert-file ${TLS}/tls.crt tls-key-file ${TLS}/tls.key tls-ca-cert-file ${TLS}/ca.crt | grep -q OK`,
              }),
            ]
          : []),
        ...(props.exporterImage
          ? [
              exporterSidecar({
                image: props.exporterImage,
                port: PORTS.redisMetrics,
                environment: {
                  REDIS_ADDR: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${PORTS.redis}`,
                  REDIS_EXPORTER_SKIP_TLS_VERIFICATION: 'true',
                },
                secretEnvironment: [password],
              }),
            ]
          : []),
      ],
      settings: props.settings,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
    })
  }
}
