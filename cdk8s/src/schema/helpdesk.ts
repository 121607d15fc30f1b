// The Helpdesk instance spec, defined once. It yields the CRD's openAPIV3Schema (operator
// flavour), the chart's values.schema.json (chart flavour: the same fields plus the chart-only
// ones, with defaults that work without the operator) and the TypeScript types.
import { z } from 'zod'
import {
  API_RESOURCES,
  CONNECTION_RESERVE,
  HELPDESK_VERSION,
  MINIO_RESOURCES,
  POSTGRES_RESOURCES,
  REDIS_RESOURCES,
  WEB_RESOURCES,
} from '../defaults.ts'
import {
  cronSchedule,
  dnsLabel,
  dnsSubdomain,
  emailAddress,
  goDuration,
  httpOrigin,
  httpUrl,
  logLevel,
  networkPolicyEgressRule,
  networkPolicyPeer,
  resources,
  secretKeyRef,
  secretName,
  secretRef,
  storageSize,
  stringMap,
} from './common.ts'
import { globalSchema } from './derived.ts'
import { imagesSchema } from './images.ts'
import {
  derivedDefault,
  exactlyOneOf,
  mapWithoutKeys,
  TRANSITION_RULES_KEY,
  withRules,
  withTransitionRules,
} from './rules.ts'
import { extraLabels, replicatedWorkload, singleWorkload } from './workload.ts'

/** Where the spec is used: as a Helpdesk resource (operator) or as chart values. */
export type SpecFlavour = 'operator' | 'chart'

const version = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/, 'must be an image tag usable as a label value')
  .default(HELPDESK_VERSION)
  .describe('Image tag of the api and web images; also the app.kubernetes.io/version label.')

const replicas = (min: number, max: number) =>
  withRules(
    z.strictObject({
      min: z.number().int().min(1).max(100).default(min).describe('Replicas at rest.'),
      max: z.number().int().min(1).max(100).default(max).describe('Upper bound for the HPA.'),
    }),
    [
      {
        cel: 'self.min <= self.max',
        helm: 'le (int64 $v.min) (int64 $v.max)',
        message: 'replicas.min must not exceed replicas.max',
        check: (value: { min: number; max: number }) => value.min <= value.max,
      },
    ],
  )
    .prefault({})
    .describe('Replica bounds.')

const autoscaling = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('A HorizontalPodAutoscaler between replicas.min and replicas.max.'),
    targetCPUUtilizationPercentage: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(70)
      .describe('Average CPU use, percent of the request, the HPA aims for.'),
    targetMemoryUtilizationPercentage: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(80)
      .describe('Average memory use, percent of the request, the HPA aims for.'),
    scaleDownStabilizationSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(300)
      .describe(
        'How long load must stay low before replicas are removed (a traffic dip of a few minutes should not cost warm pods).',
      ),
  })
  .prefault({})
  .describe('Scaling on CPU and memory utilisation (of requests).')

const port = (fallback: number, what: string) =>
  z.number().int().min(1).max(65535).default(fallback).describe(what)

const mail = z
  .strictObject({
    smtp: z
      .strictObject({
        host: dnsSubdomain.describe('Host name of the SMTP submission server.'),
        port: port(587, 'Its port: 587 with STARTTLS, 465 with TLS.'),
        security: z
          .enum(['starttls', 'tls', 'none'])
          .default('starttls')
          .describe(
            'starttls upgrades the connection and refuses a server without it; tls speaks TLS from the first byte; none only for a relay in the cluster (never with credentials).',
          ),
        credentialsSecretRef: secretRef
          .optional()
          .describe(
            'Secret with keys `username` and `password` for SMTP AUTH; without it the server must take mail unauthenticated.',
          ),
        caSecretRef: secretKeyRef('ca.crt')
          .optional()
          .describe("The CA of the server's certificate, when it is not a public one."),
      })
      .optional()
      .describe(
        'Where outgoing mail is submitted. Without it mail stays in the outbox, readable in Admin → Email.',
      ),
    channels: z
      .strictObject({
        existingSecret: secretName.describe(
          'Secret with key HELPDESK_MAIL_CHANNELS (a JSON list of channels: name, address, team, host, port, security, user, mailbox, mode, pollSeconds) and a key HELPDESK_MAIL_CHANNEL_<NAME>_PASSWORD per channel (NAME upper-cased, - as _).',
        ),
        port: port(993, 'The IMAP port the channels use (993 TLS, 143 STARTTLS).'),
      })
      .optional()
      .describe(
        'Mailboxes read into tickets, from configuration (admins can also add them in Admin → Email).',
      ),
  })
  .prefault({})
  .describe(
    "Mail out (SMTP) and in (IMAP channels) for the API; the NetworkPolicy opens only these mail servers' ports.",
  )

const api = z
  .strictObject({
    replicas: replicas(2, 10),
    autoscaling,
    resources: resources(API_RESOURCES),
    logLevel: logLevel.default('info'),
    corsOrigins: z
      .array(httpOrigin)
      .default([])
      .describe('Extra origins allowed by CORS (the public URL itself always is).'),
    maxAttachmentBytes: z.number().int().min(1).default(26_214_400).describe('Upload limit.'),
    databasePoolMax: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe(
        `Database connections per API pod. Postgres needs max_connections >= api.replicas.max × databasePoolMax + ${CONNECTION_RESERVE} (migrations, backups, the exporter, superusers); the schema checks it for database.managed.maxConnections.`,
      ),
    bootstrapAdmin: z
      .strictObject({
        email: emailAddress.optional().describe('First admin; default admin@<host>.'),
        existingSecret: secretName
          .optional()
          .describe('Secret with key `password`; otherwise a password is generated.'),
      })
      .prefault({})
      .describe('The first admin account, created at the first start.'),
    appKeys: z
      .strictObject({
        existingSecret: secretName
          .optional()
          .describe(
            "Secret holding the application keys (key id -> 32 random bytes in base64; the greatest id encrypts); otherwise one is generated. Restoring into a new release: name the old release's Secret here.",
          ),
      })
      .prefault({})
      .describe('The keys TOTP secrets are encrypted with (api/README.md "Encryption at rest").'),
    ...replicatedWorkload('helpdesk'),
  })
  .prefault({})
  .describe('The API Deployment.')

const web = z
  .strictObject({
    replicas: replicas(2, 6),
    autoscaling,
    resources: resources(WEB_RESOURCES),
    ...replicatedWorkload('helpdesk'),
  })
  .prefault({})
  .describe('The web (nginx) Deployment.')

const CERTIFICATES_AVAILABLE = 'on when certificates can be had: ingress.tls.mode certManager'

const internalTls = (flavour: SpecFlavour, component: string) =>
  z
    .strictObject({
      enabled:
        flavour === 'operator'
          ? z.boolean().default(true).describe('The operator’s CA issues the certificate.')
          : derivedDefault(z.boolean(), {
              description: CERTIFICATES_AVAILABLE,
              helm: 'eq $root.ingress.tls.mode "certManager"',
              compute: (root: { ingress: { tls: { mode: string } } }) =>
                root.ingress.tls.mode === 'certManager',
            }).describe(
              `TLS for ${component}; default ${CERTIFICATES_AVAILABLE}. Set false only to opt out, true with your own Secret.`,
            ),
      secretName: secretName
        .optional()
        .describe(
          `kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt; default <name>-${component}-tls, written by the operator or cert-manager.`,
        ),
    })
    .prefault({})
    .describe(`TLS for ${component} connections (clients verify the server).`)

const exporter = (name: string) =>
  z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe(
          `A ${name} exporter sidecar; with monitoring.serviceMonitor, a ServiceMonitor for it.`,
        ),
    })
    .prefault({})
    .describe(`Prometheus metrics of ${name}.`)

const persistence = (size: string) => ({
  storage: withTransitionRules(storageSize.default(size), [
    {
      cel: 'quantity(self).compareTo(quantity(oldSelf)) >= 0',
      message:
        'storage cannot shrink: a PersistentVolumeClaim never gets smaller (back up, then restore into a new Helpdesk)',
    },
  ]).describe(
    'Size of the PersistentVolumeClaim. It may grow (expand the PVC; the claim template is immutable), never shrink.',
  ),
  storageClassName: dnsSubdomain.optional().describe('StorageClass; the cluster default if unset.'),
})

const postgresParameter = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_.]*\s*=\s*\S.*$/,
    "must be a postgresql.conf line such as shared_buffers = '256MB'",
  )

const database = (flavour: SpecFlavour) =>
  exactlyOneOf({
    managed: z
      .strictObject({
        ...persistence('20Gi'),
        resources: resources(POSTGRES_RESOURCES),
        tls: internalTls(flavour, 'postgres'),
        existingSecret: secretName
          .optional()
          .describe(
            'Secret with keys `password` (the helpdesk role) and `superuser-password`; otherwise both are generated.',
          ),
        maxConnections: z
          .number()
          .int()
          .min(20)
          .max(10_000)
          .default(200)
          .describe(
            `max_connections; must cover api.replicas.max × api.databasePoolMax + ${CONNECTION_RESERVE}.`,
          ),
        parameters: z
          .array(postgresParameter)
          .default([])
          .describe(
            "Extra postgresql.conf lines, e.g. shared_buffers = '256MB' (after the product's own).",
          ),
        metrics: exporter('Postgres'),
        ...singleWorkload(),
      })
      .describe(
        'Postgres 15 as a StatefulSet in the namespace; the app connects as a non-superuser.',
      ),
    external: withRules(
      z.strictObject({
        host: dnsSubdomain.describe('Host name of the server.'),
        port: z.number().int().min(1).max(65535).default(5432).describe('Port of the server.'),
        database: z.string().min(1).max(63).default('helpdesk').describe('The database.'),
        user: z
          .string()
          .min(1)
          .max(63)
          .default('helpdesk')
          .describe('The role the app connects as: the owner of the database, no superuser.'),
        passwordSecretRef: secretKeyRef('password').describe('The role’s password.'),
        sslMode: z
          .enum(['disable', 'require', 'verify-ca', 'verify-full'])
          .default('verify-full')
          .describe('libpq sslmode: verify-full checks the chain and the host name.'),
        caSecretRef: secretKeyRef('ca.crt')
          .optional()
          .describe('CA bundle to verify the server; the system roots otherwise.'),
      }),
      [
        {
          cel: "!has(self.caSecretRef) || self.sslMode in ['verify-ca', 'verify-full']",
          helm: 'or (not (hasKey $v "caSecretRef")) (has $v.sslMode (list "verify-ca" "verify-full"))',
          message: 'database.external.caSecretRef needs sslMode verify-ca or verify-full',
          check: (value: { sslMode: string; caSecretRef?: unknown }) =>
            value.caSecretRef === undefined || ['verify-ca', 'verify-full'].includes(value.sslMode),
          structural: true,
        },
      ],
    ).describe(
      `A Postgres 15+ database outside the cluster; give it max_connections >= api.replicas.max × api.databasePoolMax + ${CONNECTION_RESERVE}.`,
    ),
  })
    .meta({
      [TRANSITION_RULES_KEY]: [
        {
          cel: 'has(self.managed) == has(oldSelf.managed)',
          message:
            'database cannot switch between managed and external in place: the data stays behind; restore a backup into the new database (HelpdeskRestore) and create the Helpdesk anew',
        },
      ],
    })
    .prefault({ managed: {} })
    .describe('Postgres: exactly one of managed or external.')

const redis = (flavour: SpecFlavour) =>
  exactlyOneOf({
    managed: z
      .strictObject({
        ...persistence('2Gi'),
        resources: resources(REDIS_RESOURCES),
        tls: internalTls(flavour, 'redis'),
        existingSecret: secretName
          .optional()
          .describe('Secret with key `password`; otherwise one is generated.'),
        appendOnly: z
          .strictObject({
            enabled: z
              .boolean()
              .default(false)
              .describe(
                'Log every write (AOF) besides the RDB snapshots: at most a second is lost.',
              ),
            fsync: z
              .enum(['always', 'everysec', 'no'])
              .default('everysec')
              .describe('appendfsync: how often the AOF is flushed to disk.'),
          })
          .prefault({})
          .describe('Append-only file persistence.'),
        metrics: exporter('Redis'),
        ...singleWorkload(),
      })
      .describe(
        'Redis 7 (or Valkey, see images.redis) as a StatefulSet; RDB snapshots, optionally AOF.',
      ),
    external: withRules(
      z.strictObject({
        host: dnsSubdomain.describe('Host name of the server.'),
        port: z.number().int().min(1).max(65535).default(6379).describe('Port of the server.'),
        username: z
          .string()
          .min(1)
          .max(128)
          .optional()
          .describe('ACL user (Redis 6+); the default user otherwise.'),
        passwordSecretRef: secretKeyRef('password')
          .optional()
          .describe('The password (of username, or of the default user).'),
        tls: z.boolean().default(false).describe('Connect over TLS (rediss).'),
        caSecretRef: secretKeyRef('ca.crt')
          .optional()
          .describe('CA bundle to verify the server (with tls); the system roots otherwise.'),
      }),
      [
        {
          cel: '!has(self.caSecretRef) || self.tls',
          helm: 'or (not (hasKey $v "caSecretRef")) $v.tls',
          message: 'redis.external.caSecretRef needs tls: true',
          check: (value: { tls: boolean; caSecretRef?: unknown }) =>
            value.caSecretRef === undefined || value.tls,
          structural: true,
        },
      ],
    ).describe('A Redis 7 (or Valkey) outside the cluster.'),
  })
    .prefault({ managed: {} })
    .describe('Redis: exactly one of managed or external.')

const s3Location = {
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .describe('Bucket name.'),
  region: z.string().min(1).default('us-east-1').describe('The bucket’s region.'),
  endpoint: httpUrl.optional().describe('For S3-compatible stores; AWS otherwise.'),
  forcePathStyle: z
    .boolean()
    .default(false)
    .describe('Address the bucket in the path (S3-compatible stores), not the host name.'),
  credentialsSecretRef: secretRef
    .optional()
    .describe(
      "Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Unset: the SDK's default chain — IRSA, EKS Pod Identity or GKE workload identity through the ServiceAccount's annotations.",
    ),
}

const storage = exactlyOneOf({
  s3: z.strictObject(s3Location).describe('An S3 bucket for attachments.'),
  minio: z
    .strictObject({
      ...persistence('10Gi'),
      bucket: z
        .string()
        .min(3)
        .max(63)
        .default('attachments')
        .describe('The bucket a Job creates for attachments.'),
      resources: resources(MINIO_RESOURCES),
      existingSecret: secretName
        .optional()
        .describe('Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; generated otherwise.'),
      ...singleWorkload(),
    })
    .describe('MinIO in the namespace, for clusters without an S3 service.'),
})
  .meta({
    [TRANSITION_RULES_KEY]: [
      {
        cel: 'has(self.minio) == has(oldSelf.minio)',
        message:
          'storage cannot switch between minio and s3 in place: the attachments stay behind; copy the bucket first and create the Helpdesk anew',
      },
    ],
  })
  .prefault({ minio: {} })
  .describe('Attachments: exactly one of s3 or minio.')

const tlsModes = ['operator', 'certManager', 'secret'] as const

const ingress = (flavour: SpecFlavour) =>
  z
    .strictObject({
      className: z
        .string()
        .min(1)
        .default('nginx')
        .describe(
          'IngressClass of the Ingress (with ingressNginx.enabled, its own class instead).',
        ),
      gateway: z
        .strictObject({
          parentRefs: z
            .array(
              z.strictObject({
                name: z.string().min(1).describe('The Gateway.'),
                namespace: z
                  .string()
                  .min(1)
                  .optional()
                  .describe('Namespace of the Gateway; default this one.'),
                sectionName: z
                  .string()
                  .min(1)
                  .optional()
                  .describe('A listener of the Gateway, e.g. https.'),
                group: z.string().optional().describe('Default gateway.networking.k8s.io.'),
                kind: z.string().min(1).optional().describe('Default Gateway.'),
              }),
            )
            .min(1)
            .describe('The Gateways (and listeners) the HTTPRoute attaches to.'),
        })
        .optional()
        .describe('Route through a Gateway API HTTPRoute instead of an Ingress.'),
      tls: withRules(
        z.strictObject({
          mode: z
            .enum(tlsModes)
            .default(flavour === 'operator' ? 'operator' : 'secret')
            .describe(
              'Who writes TLS Secrets: the operator (its own CA), cert-manager, or you (secret).',
            ),
          issuerRef: z
            .strictObject({
              name: z.string().min(1).describe('The issuer.'),
              kind: z
                .enum(['Issuer', 'ClusterIssuer'])
                .default('ClusterIssuer')
                .describe('Issuer (this namespace) or ClusterIssuer.'),
              group: z
                .string()
                .min(1)
                .default('cert-manager.io')
                .describe('The issuer’s API group.'),
            })
            .optional()
            .describe('cert-manager issuer, for mode certManager.'),
          secretName: secretName.optional().describe('TLS Secret of the host; default <name>-tls.'),
        }),
        [
          {
            cel: "self.mode != 'certManager' || has(self.issuerRef)",
            helm: 'or (ne $v.mode "certManager") (hasKey $v "issuerRef")',
            message: 'ingress.tls.issuerRef is required when mode is certManager',
            check: (value: { mode: string; issuerRef?: unknown }) =>
              value.mode !== 'certManager' || value.issuerRef !== undefined,
            structural: true,
          },
        ],
      )
        .prefault({})
        .describe('TLS of the public host.'),
      annotations: mapWithoutKeys(
        'snippet',
        'snippet annotations run arbitrary controller configuration and are refused',
      )
        .default({})
        .describe('Extra Ingress annotations (snippet annotations are refused).'),
      maxBodySize: z
        .string()
        .regex(/^[0-9]+[kKmMgG]?$/, 'must be a size such as 30m')
        .default('30m')
        .describe(
          'Largest request body the ingress and the web server pass on; keep it above api.maxAttachmentBytes.',
        ),
      rateLimitPerSecond: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe('Requests per second per client IP at the ingress-nginx controller.'),
    })
    .prefault({})
    .describe('Public routing: an Ingress, or an HTTPRoute when gateway is set.')

const backup = z
  .strictObject({
    schedule: cronSchedule
      .default('0 2 * * *')
      .describe('When the daily backup runs (cron, UTC); the seed: daily.'),
    retention: z
      .strictObject({
        daily: z
          .number()
          .int()
          .min(1)
          .default(30)
          .describe('Daily backups kept (the seed: 30 days).'),
        monthly: z
          .number()
          .int()
          .min(0)
          .default(12)
          .describe('Monthly backups kept, the first of each month (the seed: 1 year).'),
      })
      .prefault({})
      .describe('How many backups are kept (grandfather-father-son).'),
    s3: z
      .strictObject({
        ...s3Location,
        prefix: z.string().min(1).optional().describe('Key prefix inside the bucket.'),
        serverSideEncryption: z
          .enum(['AES256', 'aws:kms', 'none'])
          .default('AES256')
          .describe(
            'Server-side encryption of backup objects, on top of the engine’s own encryption; none for stores without it.',
          ),
        kmsKeyId: z
          .string()
          .min(1)
          .optional()
          .describe('KMS key for serverSideEncryption aws:kms.'),
        manageLifecycle: z
          .boolean()
          .default(false)
          .describe(
            'The bucket is this install’s own: the prune step sets its lifecycle rules (expire backups past the retention, abort stale uploads).',
          ),
      })
      .describe('The backup bucket.'),
    encryptionKeySecretRef: secretRef.describe(
      'Keyring Secret: one key per entry, named by key id; the greatest id encrypts.',
    ),
    verify: z
      .strictObject({
        schedule: cronSchedule
          .default('0 4 * * 0')
          .describe('When the restore drill runs (cron, UTC); weekly by default.'),
      })
      .optional()
      .describe('Restore the latest backup into a scratch database and check it.'),
    serviceAccount: z
      .strictObject({
        annotations: stringMap
          .default({})
          .describe(
            'Annotations of the backup Jobs’ ServiceAccount (cloud identity for the bucket).',
          ),
      })
      .prefault({})
      .describe('The ServiceAccount backup, restore and drill Jobs run as.'),
  })
  .optional()
  .describe('Encrypted database and attachment backups to S3 (off when unset).')

const certificates = z
  .strictObject({
    duration: goDuration.default('2160h').describe('Lifetime of a certificate (90 days).'),
    renewBefore: goDuration
      .default('720h')
      .describe('Renew this long before expiry (30 days: at 2/3 of the lifetime).'),
  })
  .prefault({})
  .describe('Lifetime of certificates the operator or cert-manager issues.')

const networkPolicy = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Default deny plus the flows the product needs.'),
    ingressFrom: z
      .array(networkPolicyPeer)
      .default([])
      .describe(
        'NetworkPolicyPeers allowed to reach web and api on 8080 (e.g. the ingress controller); empty allows every source.',
      ),
    extraEgress: z
      .array(networkPolicyEgressRule)
      .default([])
      .describe('Extra NetworkPolicyEgressRules for the API (e.g. SMTP, an S3 endpoint port).'),
    metricsNamespace: dnsLabel
      .default('monitoring')
      .describe(
        "The namespace allowed to scrape the metrics ports (the API's 9464, the exporters'): where Prometheus runs.",
      ),
  })
  .prefault({})
  .describe('NetworkPolicies.')

const monitoring = z
  .strictObject({
    serviceMonitor: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Create the ServiceMonitors.'),
        interval: goDuration.default('30s').describe('Scrape interval.'),
        additionalLabels: stringMap
          .default({})
          .describe(
            'Labels Prometheus selects ServiceMonitors by (kube-prometheus-stack: release).',
          ),
      })
      .prefault({})
      .describe('prometheus-operator ServiceMonitors for the API and the exporters.'),
    prometheusRule: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Create the PrometheusRule.'),
        additionalLabels: stringMap
          .default({})
          .describe(
            'Labels Prometheus selects PrometheusRules by (kube-prometheus-stack: release).',
          ),
        latencyP95Seconds: z
          .number()
          .min(0.01)
          .default(2)
          .describe('API p95 latency above which HelpdeskApiSlow fires (the seed: 2 s).'),
        errorRatio: z
          .number()
          .min(0.0001)
          .max(1)
          .default(0.01)
          .describe('Share of 5xx responses above which HelpdeskApiErrors fires (the seed: 1 %).'),
        backupMaxAgeHours: z
          .number()
          .int()
          .min(1)
          .default(26)
          .describe(
            'HelpdeskBackupTooOld fires when the last good backup is older (schedule + margin).',
          ),
        certificateMinDays: z
          .number()
          .int()
          .min(1)
          .default(14)
          .describe('HelpdeskCertificateExpiring fires when a certificate has fewer days left.'),
      })
      .prefault({})
      .describe('A PrometheusRule with the seed’s alerts (needs kube-state-metrics for some).'),
    grafanaDashboard: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Create the dashboard ConfigMap.'),
      })
      .prefault({})
      .describe('A ConfigMap labelled grafana_dashboard=1 for the Grafana sidecar.'),
  })
  .prefault({})
  .describe('Prometheus and Grafana objects, for clusters that run them.')

function specShape(flavour: SpecFlavour) {
  return {
    version,
    host: (flavour === 'operator' ? dnsSubdomain : dnsSubdomain.default('helpdesk.local')).describe(
      'Public host name.',
    ),
    images: imagesSchema,
    api,
    web,
    database: database(flavour),
    redis: redis(flavour),
    storage,
    mail,
    ingress: ingress(flavour),
    backup,
    certificates,
    networkPolicy,
    monitoring,
  }
}

/** Postgres must accept every pool of every API pod, plus the jobs beside them. */
const connectionBudget = {
  cel: `!has(self.database.managed) || self.database.managed.maxConnections >= self.api.replicas.max * self.api.databasePoolMax + ${CONNECTION_RESERVE}`,
  helm: `or (not (hasKey $v.database "managed")) (ge (int64 $v.database.managed.maxConnections) (add (mul (int64 $v.api.replicas.max) (int64 $v.api.databasePoolMax)) ${CONNECTION_RESERVE}))`,
  message: `database.managed.maxConnections must be at least api.replicas.max × api.databasePoolMax + ${CONNECTION_RESERVE}`,
  check: (value: {
    database: { managed?: { maxConnections: number } }
    api: { replicas: { max: number }; databasePoolMax: number }
  }) =>
    value.database.managed === undefined ||
    value.database.managed.maxConnections >=
      value.api.replicas.max * value.api.databasePoolMax + CONNECTION_RESERVE,
}

/** What only the operator reads: pausing it and pinning the operator version that applies. */
const operatorControls = {
  paused: z
    .boolean()
    .default(false)
    .describe(
      'The operator stops applying and pruning this Helpdesk’s objects (status, certificates and backups continue).',
    ),
  operatorVersion: z
    .string()
    .regex(/^[0-9A-Za-z][-0-9A-Za-z.+]{0,62}$/, 'must be an operator version such as 0.2.0')
    .optional()
    .describe(
      'Pin: only an operator of this version applies changes; others leave the Helpdesk as it is (status.operatorVersion says which version last applied).',
    ),
}

/** spec of a Helpdesk resource (helpdesk.dev/v1alpha1). */
export const helpdeskSpecSchema = withRules(
  z
    .strictObject({ ...specShape('operator'), ...operatorControls })
    .describe('One Helpdesk: what a platform team writes; everything optional has a default.'),
  [connectionBudget],
)
export type HelpdeskSpec = z.output<typeof helpdeskSpecSchema>
export type HelpdeskSpecInput = z.input<typeof helpdeskSpecSchema>

const ingressNginx = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Install an ingress-nginx controller for this release. ingress-nginx was retired upstream in March 2026 and gets no security fixes: prefer your own controller or a Gateway.',
      ),
    replicas: z.number().int().min(1).max(10).default(2),
    ...singleWorkload(),
  })
  .prefault({})
  .describe('Optional ingress-nginx controller (unmaintained upstream; off by default).')

/** values of charts/helpdesk: the spec plus what only a chart install needs. */
export const helpdeskValuesSchema = withRules(
  z.strictObject({
    global: globalSchema,
    commonLabels: extraLabels.default({}).describe('Labels added to every object.'),
    commonAnnotations: stringMap.default({}).describe('Annotations added to every object.'),
    ...specShape('chart'),
    ingressNginx,
  }),
  [connectionBudget],
)
export type HelpdeskValues = z.output<typeof helpdeskValuesSchema>
export type HelpdeskValuesInput = z.input<typeof helpdeskValuesSchema>

/** The Helpdesk chart's images that global.imageRegistry and global.imagePullSecrets reach. */
export const HELPDESK_GLOBALS = {
  registries: Object.keys(imagesSchema.unwrap().shape)
    .filter((key) => key !== 'pullPolicy' && key !== 'pullSecrets')
    .map((key) => ['images', key]),
  pullSecrets: ['images', 'pullSecrets'],
}
