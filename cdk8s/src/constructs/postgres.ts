import { ApiObject, Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { PORTS, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import {
  certificateReloader,
  exporterSidecar,
  type ManagedServiceProps,
} from './managed-service.ts'
import { StatefulService } from './stateful-service.ts'

export const POSTGRES_DATABASE = 'helpdesk'
export const POSTGRES_USER = 'helpdesk'
/** The superuser the image creates; only the server's own pod uses it (local socket). */
export const POSTGRES_SUPERUSER = 'postgres'

export interface PostgresProps extends ManagedServiceProps {
  /** max_connections (the schema checks it against the API's pools). */
  readonly maxConnections: number
  /** Extra postgresql.conf lines, after the product's own. */
  readonly parameters: readonly string[]
}

const DATA = '/var/lib/postgresql/data'
const PGDATA = `${DATA}/pgdata`
const TLS = '/etc/postgresql/tls'
const CONF = '/etc/postgresql/conf'
const SOCKETS = '/var/run/postgresql'

/**
 * Runs once, when the image initialises an empty data directory, as the superuser: the
 * app's role owns its database and is no superuser. CREATEDB is for the backup engine's
 * restores and drills, which run as the same role and create the database they fill.
 */
const INIT_SCRIPT = `#!/bin/sh
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \\
  --set=password="$HELPDESK_PASSWORD" <<'SQL'
CREATE ROLE ${POSTGRES_USER} LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
CREATE DATABASE ${POSTGRES_DATABASE} OWNER ${POSTGRES_USER};
REVOKE ALL ON DATABASE ${POSTGRES_DATABASE} FROM PUBLIC;
SQL
`

/**
 * Postgres 15 from the official image, run directly as its `postgres` user (UID 999), so
 * the entrypoint needs no root: data in a subdirectory of the volume (the volume root may
 * hold lost+found), the socket directory and /tmp on emptyDirs, TLS from a Secret, the
 * configuration (max_connections and the configured parameters) from a ConfigMap whose
 * content hash rolls the pod. A startup probe covers recovery; liveness asks only whether
 * the postmaster accepts TCP, readiness whether it serves sessions.
 */
export class Postgres extends Construct {
  readonly service: StatefulService

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const configName = objectName(context, 'postgres')
    const config = {
      'postgresql.conf': [
        "# The data directory's own settings (initdb's), then the product's.",
        `include_if_exists = '${PGDATA}/postgresql.conf'`,
        `include = '${CONF}/helpdesk.conf'`,
        '',
      ].join('\n'),
      'helpdesk.conf': `max_connections = ${props.maxConnections}\n${context.joinList(props.parameters, '\n')}\n`,
      'init-helpdesk.sh': INIT_SCRIPT,
    }
    new ApiObject(this, 'config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configName, labels: standardLabels(context, 'postgres', props.version) },
      data: config,
    })
    const ready = [
      'pg_isready',
      '--host=127.0.0.1',
      `--username=${POSTGRES_USER}`,
      `--dbname=${POSTGRES_DATABASE}`,
    ]
    const tls = props.tlsSecretName !== undefined
    const sockets = { volume: 'scratch-0', path: SOCKETS }
    this.service = new StatefulService(this, 'server', {
      component: 'postgres',
      image: props.image,
      imagePullPolicy: props.imagePullPolicy,
      imagePullSecrets: props.imagePullSecrets,
      version: props.version,
      uid: UIDS.postgres,
      port: PORTS.postgres,
      args: [
        '-c',
        `config_file=${CONF}/postgresql.conf`,
        ...(tls
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
          : []),
      ],
      environment: { POSTGRES_USER: POSTGRES_SUPERUSER, PGDATA },
      secretEnvironment: [
        {
          name: 'POSTGRES_PASSWORD',
          secretName: props.passwordSecretName,
          key: 'superuser-password',
          optional: true,
        },
        { name: 'HELPDESK_PASSWORD', secretName: props.passwordSecretName, key: 'password' },
      ],
      scratchPaths: [SOCKETS],
      secretDirectories: tls
        ? // Postgres accepts a root-owned key only when no one but root and its group can read it.
          [{ volume: 'tls', secretName: props.tlsSecretName as string, path: TLS, mode: 0o640 }]
        : [],
      configDirectories: [
        {
          volume: 'config',
          configMapName: configName,
          path: CONF,
          keys: ['postgresql.conf', 'helpdesk.conf'],
        },
        {
          volume: 'init',
          configMapName: configName,
          path: '/docker-entrypoint-initdb.d',
          keys: ['init-helpdesk.sh'],
          mode: 0o555,
        },
      ],
      dataPath: DATA,
      storage: props.storage,
      storageClassName: props.storageClassName,
      resources: props.resources,
      startup: kplus.Probe.fromCommand(ready, {
        periodSeconds: Duration.seconds(5),
        failureThreshold: 120,
        timeoutSeconds: Duration.seconds(3),
      }),
      liveness: kplus.Probe.fromTcpSocket({
        port: PORTS.postgres,
        periodSeconds: Duration.seconds(10),
        failureThreshold: 6,
        timeoutSeconds: Duration.seconds(5),
      }),
      readiness: kplus.Probe.fromCommand(ready, {
        periodSeconds: Duration.seconds(5),
        failureThreshold: 3,
        timeoutSeconds: Duration.seconds(3),
      }),
      // SIGTERM asks Postgres for a "smart" shutdown that waits for every client to leave;
      // a fast shutdown ends sessions cleanly and checkpoints well inside the grace period.
      preStop: ['pg_ctl', 'stop', '--mode=fast', '--wait', `--pgdata=${PGDATA}`],
      terminationGracePeriodSeconds: 60,
      podAnnotations: { 'checksum/config': context.contentHash('postgres-config', config) },
      sidecars: [
        ...(tls
          ? [
              certificateReloader({
                image: props.image,
                tlsVolume: 'tls',
                tlsPath: TLS,
                mounts: [sockets],
                // Postgres rereads its certificate files on a configuration reload.
                reload: `psql --host=${SOCKETS} --username=${POSTGRES_SUPERUSER} --dbname=postgres --no-psqlrc --command='SELECT pg_reload_conf()' >/dev/null`,
              }),
            ]
          : []),
        ...(props.exporterImage
          ? [
              exporterSidecar({
                image: props.exporterImage,
                port: PORTS.postgresMetrics,
                // The superuser over the pod's local socket: no password, no network.
                environment: {
                  DATA_SOURCE_NAME: `host=${SOCKETS} user=${POSTGRES_SUPERUSER} dbname=postgres sslmode=disable`,
                },
                mounts: [sockets],
              }),
            ]
          : []),
      ],
      settings: props.settings,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
    })
  }
}
