import { Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { IMAGES, PORTS, POSTGRES_RESOURCES, UIDS } from '../defaults.ts'
import type { ResourceRequirements } from './pod-spec.ts'
import { StatefulService } from './stateful-service.ts'

export const POSTGRES_DATABASE = 'helpdesk'
export const POSTGRES_USER = 'helpdesk'

export interface PostgresProps {
  /** @default IMAGES.postgres (the official postgres:15) */
  readonly image?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  /** PersistentVolumeClaim size, e.g. 20Gi. */
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  /** @default POSTGRES_RESOURCES */
  readonly resources?: ResourceRequirements
  /** Secret and key of the `helpdesk` role's password. */
  readonly passwordSecret: { readonly name: string; readonly key: string }
  /** kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt). @default - no TLS */
  readonly tlsSecretName?: string
  /** @default - none */
  readonly podAnnotations?: Record<string, string>
}

const DATA = '/var/lib/postgresql/data'
const TLS = '/etc/postgresql/tls'

/**
 * Postgres 15 from the official image, run directly as its `postgres` user (UID 999), so
 * the entrypoint needs no root: data in a subdirectory of the volume (the volume root may
 * hold lost+found), the socket directory and /tmp on emptyDirs, TLS from a Secret.
 */
export class Postgres extends Construct {
  readonly service: StatefulService

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id)
    const ready = [
      'pg_isready',
      '--host=127.0.0.1',
      `--username=${POSTGRES_USER}`,
      `--dbname=${POSTGRES_DATABASE}`,
    ]
    this.service = new StatefulService(this, 'server', {
      component: 'postgres',
      image: props.image ?? IMAGES.postgres,
      imagePullSecrets: props.imagePullSecrets,
      version: props.version,
      uid: UIDS.postgres,
      port: PORTS.postgres,
      args: props.tlsSecretName
        ? [
            '-c',
            'ssl=on',
            '-c',
            `ssl_cert_file=${TLS}/tls.crt`,
            '-c',
            `ssl_key_file=${TLS}/tls.key`,
            '-c',
            `ssl_ca_file=${TLS}/ca.crt`,
            '-c',
            'ssl_min_protocol_version=TLSv1.2',
          ]
        : undefined,
      environment: {
        POSTGRES_USER,
        POSTGRES_DB: POSTGRES_DATABASE,
        PGDATA: `${DATA}/pgdata`,
      },
      secretEnvironment: [
        {
          name: 'POSTGRES_PASSWORD',
          secretName: props.passwordSecret.name,
          key: props.passwordSecret.key,
        },
      ],
      scratchPaths: ['/var/run/postgresql'],
      secretDirectories: props.tlsSecretName
        ? // Postgres accepts a root-owned key only when no one but root and its group can read it.
          [{ volume: 'tls', secretName: props.tlsSecretName, path: TLS, mode: 0o640 }]
        : [],
      dataPath: DATA,
      storage: props.storage,
      storageClassName: props.storageClassName,
      resources: props.resources ?? POSTGRES_RESOURCES,
      readiness: kplus.Probe.fromCommand(ready, {
        periodSeconds: Duration.seconds(5),
        failureThreshold: 3,
        timeoutSeconds: Duration.seconds(3),
      }),
      liveness: kplus.Probe.fromCommand(ready, {
        initialDelaySeconds: Duration.seconds(30),
        periodSeconds: Duration.seconds(10),
        failureThreshold: 6,
        timeoutSeconds: Duration.seconds(5),
      }),
      // SIGTERM asks Postgres for a "smart" shutdown that waits for every client to leave;
      // a fast shutdown ends sessions cleanly and checkpoints well inside the grace period.
      preStop: ['pg_ctl', 'stop', '--mode=fast', '--wait', `--pgdata=${DATA}/pgdata`],
      terminationGracePeriodSeconds: 60,
      podAnnotations: props.podAnnotations,
    })
  }
}
