// The Helpdesk instance spec, defined once. It yields the CRD's openAPIV3Schema (operator
// flavour), the chart's values.schema.json (chart flavour: the same fields plus the chart-only
// ones, with defaults that work without the operator) and the TypeScript types.
import { z } from 'zod'
import {
  API_RESOURCES,
  HELPDESK_VERSION,
  IMAGES,
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
  imagePullPolicy,
  imageReference,
  imageRepository,
  logLevel,
  networkPolicyEgressRule,
  networkPolicyPeer,
  resources,
  secretKeyRef,
  secretName,
  secretRef,
  storageSize,
} from './common.ts'
import { exactlyOneOf, mapWithoutKeys, withRules } from './rules.ts'

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
    targetCPUUtilizationPercentage: z.number().int().min(1).max(100).default(70),
    targetMemoryUtilizationPercentage: z.number().int().min(1).max(100).default(80),
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

const images = z
  .strictObject({
    api: imageRepository.default(IMAGES.api).describe('Repository of the API image.'),
    web: imageRepository.default(IMAGES.web).describe('Repository of the web image.'),
    pullPolicy: imagePullPolicy.default('IfNotPresent'),
    pullSecrets: z
      .array(z.strictObject({ name: secretName }))
      .default([])
      .describe('imagePullSecrets for every pod.'),
  })
  .prefault({})
  .describe('Where the api and web images come from; their tag is `version`.')

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
    databasePoolMax: z.number().int().min(1).max(100).default(10).describe('Pool per pod.'),
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
  })
  .prefault({})
  .describe('The API Deployment.')

const web = z
  .strictObject({
    replicas: replicas(2, 6),
    autoscaling,
    resources: resources(WEB_RESOURCES),
  })
  .prefault({})
  .describe('The web (nginx) Deployment.')

const internalTls = (enabledByDefault: boolean, component: string) =>
  z
    .strictObject({
      enabled: z.boolean().default(enabledByDefault),
      secretName: secretName
        .optional()
        .describe(
          `kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt; default <name>-${component}-tls, written by the operator or cert-manager.`,
        ),
    })
    .prefault({})
    .describe(`TLS for ${component} connections.`)

const persistence = (size: string) => ({
  storage: storageSize.default(size).describe('Size of the PersistentVolumeClaim.'),
  storageClassName: dnsSubdomain.optional().describe('StorageClass; the cluster default if unset.'),
})

const database = (flavour: SpecFlavour) =>
  exactlyOneOf({
    managed: z
      .strictObject({
        ...persistence('20Gi'),
        image: imageReference.default(IMAGES.postgres),
        resources: resources(POSTGRES_RESOURCES),
        tls: internalTls(flavour === 'operator', 'postgres'),
        existingSecret: secretName
          .optional()
          .describe('Secret with key `password`; otherwise one is generated.'),
      })
      .describe('Postgres 15 as a StatefulSet in the namespace.'),
    external: withRules(
      z.strictObject({
        host: dnsSubdomain,
        port: z.number().int().min(1).max(65535).default(5432),
        database: z.string().min(1).max(63).default('helpdesk'),
        user: z.string().min(1).max(63).default('helpdesk'),
        passwordSecretRef: secretKeyRef('password'),
        sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('verify-full'),
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
    ).describe('A Postgres 15+ database outside the cluster.'),
  })
    .prefault({ managed: {} })
    .describe('Postgres: exactly one of managed or external.')

const redis = (flavour: SpecFlavour) =>
  exactlyOneOf({
    managed: z
      .strictObject({
        ...persistence('2Gi'),
        image: imageReference.default(IMAGES.redis),
        resources: resources(REDIS_RESOURCES),
        tls: internalTls(flavour === 'operator', 'redis'),
        existingSecret: secretName
          .optional()
          .describe('Secret with key `password`; otherwise one is generated.'),
      })
      .describe('Redis 7 with RDB snapshots as a StatefulSet in the namespace.'),
    external: withRules(
      z.strictObject({
        host: dnsSubdomain,
        port: z.number().int().min(1).max(65535).default(6379),
        passwordSecretRef: secretKeyRef('password').optional(),
        tls: z.boolean().default(false),
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
    ).describe('A Redis 7 outside the cluster.'),
  })
    .prefault({ managed: {} })
    .describe('Redis: exactly one of managed or external.')

const s3Location = {
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .describe('Bucket name.'),
  region: z.string().min(1).default('us-east-1'),
  endpoint: httpUrl.optional().describe('For S3-compatible stores; AWS otherwise.'),
  forcePathStyle: z.boolean().default(false),
  credentialsSecretRef: secretRef.describe(
    'Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
  ),
}

const storage = exactlyOneOf({
  s3: z.strictObject(s3Location).describe('An S3 bucket for attachments.'),
  minio: z
    .strictObject({
      ...persistence('10Gi'),
      image: imageReference.default(IMAGES.minio),
      clientImage: imageReference
        .default(IMAGES.minioClient)
        .describe('Runs once to create the bucket.'),
      bucket: z.string().min(3).max(63).default('attachments'),
      resources: resources(MINIO_RESOURCES),
      existingSecret: secretName
        .optional()
        .describe('Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; generated otherwise.'),
    })
    .describe('MinIO in the namespace, for clusters without an S3 service.'),
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
                name: z.string().min(1),
                namespace: z.string().min(1).optional(),
                sectionName: z.string().min(1).optional(),
                group: z.string().optional(),
                kind: z.string().min(1).optional(),
              }),
            )
            .min(1),
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
              name: z.string().min(1),
              kind: z.enum(['Issuer', 'ClusterIssuer']).default('ClusterIssuer'),
              group: z.string().min(1).default('cert-manager.io'),
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
    schedule: cronSchedule.default('0 2 * * *'),
    retention: z
      .strictObject({
        daily: z.number().int().min(1).default(30),
        monthly: z.number().int().min(0).default(12),
      })
      .prefault({}),
    s3: z.strictObject({
      ...s3Location,
      prefix: z.string().min(1).optional().describe('Key prefix inside the bucket.'),
    }),
    encryptionKeySecretRef: secretRef.describe(
      'Keyring Secret: one key per entry, named by key id; the greatest id encrypts.',
    ),
    verify: z
      .strictObject({ schedule: cronSchedule.default('0 4 * * 0') })
      .optional()
      .describe('Restore the latest backup into a scratch database and check it.'),
  })
  .optional()
  .describe('Encrypted database and attachment backups to S3 (off when unset).')

const certificates = z
  .strictObject({
    duration: goDuration.default('2160h'),
    renewBefore: goDuration.default('720h'),
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
        "The namespace allowed to scrape the API's metrics port (9464): where Prometheus runs.",
      ),
  })
  .prefault({})
  .describe('NetworkPolicies.')

const monitoring = z
  .strictObject({
    serviceMonitor: z
      .strictObject({
        enabled: z.boolean().default(false),
        interval: goDuration.default('30s'),
      })
      .prefault({})
      .describe('A prometheus-operator ServiceMonitor for the API.'),
    grafanaDashboard: z
      .strictObject({ enabled: z.boolean().default(false) })
      .prefault({})
      .describe('A ConfigMap labelled grafana_dashboard=1 for the Grafana sidecar.'),
  })
  .prefault({})

function specShape(flavour: SpecFlavour) {
  return {
    version,
    host: (flavour === 'operator' ? dnsSubdomain : dnsSubdomain.default('helpdesk.local')).describe(
      'Public host name.',
    ),
    images,
    api,
    web,
    database: database(flavour),
    redis: redis(flavour),
    storage,
    ingress: ingress(flavour),
    backup,
    certificates,
    networkPolicy,
    monitoring,
  }
}

/** spec of a Helpdesk resource (helpdesk.dev/v1alpha1). */
export const helpdeskSpecSchema = z.strictObject(specShape('operator'))
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
    image: imageReference.default(IMAGES.ingressNginx),
    replicas: z.number().int().min(1).max(10).default(2),
  })
  .prefault({})
  .describe('Optional ingress-nginx controller (unmaintained upstream; off by default).')

/** values of charts/helpdesk: the spec plus what only a chart install needs. */
export const helpdeskValuesSchema = z.strictObject({ ...specShape('chart'), ingressNginx })
export type HelpdeskValues = z.output<typeof helpdeskValuesSchema>
export type HelpdeskValuesInput = z.input<typeof helpdeskValuesSchema>
