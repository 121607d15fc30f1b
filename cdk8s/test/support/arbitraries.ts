// fast-check arbitraries of valid chart values: every choice of the schema (optional parts
// present or not, each exclusive member, enums, booleans) and free values that stress
// quoting (quotes, %, template braces, <>&, non-ASCII) where the schema allows them.
import fc from 'fast-check'

/** Leave a key out of the values (so that its default applies) or set it. */
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}

const object = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.record(shape).map((record) => defined(record as Record<string, unknown>))

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/)
const host = fc
  .tuple(
    label,
    fc.constantFrom('example', 'acme-corp', 'x1'),
    fc.constantFrom('com', 'io', 'example'),
  )
  .map((parts) => parts.join('.'))
/** Free text where the schema takes any string: the hard cases for YAML and Go templates. */
const text = fc.oneof(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9 _.-]{0,15}$/),
  fc.constantFrom(
    'quote"d',
    'per%cent',
    '{{ .Values.x }}',
    '<a href>&amp;',
    'zürich',
    'back\\slash',
    'yes',
    '007',
    'null',
    'true',
  ),
)
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.integer({ min: 1, max: 4000 }).map((milli) => `${milli}m`),
  fc.integer({ min: 1, max: 8 }).map(String),
  fc.integer({ min: 16, max: 4096 }).map((mebi) => `${mebi}Mi`),
  fc.integer({ min: 1, max: 16 }).map((gibi) => `${gibi}Gi`),
)
const storage = fc.integer({ min: 1, max: 500 }).map((size) => `${size}Gi`)
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`)
const image = (tagged = true) =>
  object({
    registry: optional(
      fc.oneof(
        host,
        host.map((name) => `${name}:5000`),
      ),
    ),
    repository: optional(fc.tuple(label, label).map((parts) => parts.join('/'))),
    ...(tagged ? { tag: optional(fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$/)) } : {}),
    digest: optional(digest),
  })
const labelKey = fc.oneof(
  label,
  fc.tuple(host, label).map(([domain, name]) => `${domain}/${name}`),
)
const stringMap = fc.dictionary(labelKey, text, { maxKeys: 2 })
const labelMap = fc.dictionary(labelKey, label, { maxKeys: 2 })
/** Pod settings every component takes (schema/workload.ts); `replicated` adds spread and PDB. */
const workload = (replicated = false) => ({
  nodeSelector: optional(labelMap),
  tolerations: optional(
    fc.array(
      object({
        key: optional(labelKey),
        operator: optional(fc.constantFrom('Exists', 'Equal')),
        value: optional(label),
        effect: optional(fc.constantFrom('NoSchedule', 'NoExecute')),
      }),
      { maxLength: 2 },
    ),
  ),
  affinity: optional(
    fc.constantFrom(
      {},
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                ],
              },
            ],
          },
        },
      },
    ),
  ),
  priorityClassName: optional(label),
  podAnnotations: optional(stringMap),
  podLabels: optional(labelMap),
  extraEnv: optional(
    fc.array(object({ name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/), value: optional(text) }), {
      maxLength: 2,
    }),
  ),
  extraEnvFrom: optional(
    fc.array(object({ secretRef: object({ name: label }) }), { maxLength: 1 }),
  ),
  extraVolumes: optional(
    fc.array(object({ name: label, configMap: object({ name: label }) }), { maxLength: 1 }),
  ),
  extraVolumeMounts: optional(
    fc.array(object({ name: label, mountPath: label.map((name) => `/mnt/${name}`) }), {
      maxLength: 1,
    }),
  ),
  serviceAccount: optional(object({ annotations: optional(stringMap) })),
  ...(replicated
    ? {
        topologySpreadConstraints: optional(
          fc.constantFrom(
            [],
            [
              {
                maxSkew: 2,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'DoNotSchedule',
              },
            ],
          ),
        ),
        podDisruptionBudget: optional(
          object({
            enabled: optional(fc.boolean()),
            maxUnavailable: optional(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('25%'))),
          }),
        ),
      }
    : {}),
})
const secretRef = object({ name: label })
const secretKeyRef = object({
  name: label,
  key: optional(fc.constantFrom('password', 'pw', 'ca.crt')),
})
const cron = fc.constantFrom('0 2 * * *', '*/30 * * * *', '15 3 * * 1-5', '@daily')
const duration = fc.constantFrom('2160h', '720h', '90m', '1h30m')
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/)
const url = host.map((name) => `https://${name}`)
const port = fc.integer({ min: 1, max: 65535 })

const replicas = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }))
  .map(([min, extra]) => ({ min, max: min + extra }))

const resources = object({
  requests: optional(object({ cpu: optional(quantity), memory: optional(quantity) })),
  limits: optional(object({ cpu: optional(quantity), memory: optional(quantity) })),
})

const autoscaling = object({
  enabled: optional(fc.boolean()),
  targetCPUUtilizationPercentage: optional(fc.integer({ min: 1, max: 100 })),
  targetMemoryUtilizationPercentage: optional(fc.integer({ min: 1, max: 100 })),
})

const tls = object({ enabled: optional(fc.boolean()), secretName: optional(label) })
const metrics = object({ enabled: optional(fc.boolean()) })

const database = fc.oneof(
  object({
    managed: object({
      storage: optional(storage),
      storageClassName: optional(label),
      resources: optional(resources),
      tls: optional(tls),
      existingSecret: optional(label),
      maxConnections: optional(fc.integer({ min: 2100, max: 10_000 })),
      parameters: optional(
        fc.array(
          fc.constantFrom(
            "shared_buffers = '256MB'",
            'work_mem=8MB',
            "log_line_prefix = '%m [%p] '",
          ),
          {
            maxLength: 2,
          },
        ),
      ),
      metrics: optional(metrics),
      ...workload(),
    }),
  }),
  object({
    external: object({
      host,
      port: optional(port),
      database: optional(text),
      user: optional(text),
      passwordSecretRef: secretKeyRef,
      sslMode: optional(fc.constantFrom('disable', 'require', 'verify-ca', 'verify-full')),
      caSecretRef: optional(secretKeyRef),
    }).map((external) =>
      // A CA is only used to verify: the schema refuses it with the other modes.
      external.caSecretRef ? { ...external, sslMode: 'verify-ca' } : external,
    ),
  }),
)

const redis = fc.oneof(
  object({
    managed: object({
      storage: optional(storage),
      storageClassName: optional(label),
      resources: optional(resources),
      tls: optional(tls),
      existingSecret: optional(label),
      appendOnly: optional(
        object({
          enabled: optional(fc.boolean()),
          fsync: optional(fc.constantFrom('always', 'everysec', 'no')),
        }),
      ),
      metrics: optional(metrics),
      ...workload(),
    }),
  }),
  object({
    external: object({
      host,
      port: optional(port),
      username: optional(text),
      passwordSecretRef: optional(secretKeyRef),
      tls: optional(fc.boolean()),
      caSecretRef: optional(secretKeyRef),
    }).map((external) => (external.caSecretRef ? { ...external, tls: true } : external)),
  }),
)

const s3 = object({
  bucket,
  region: optional(text),
  endpoint: optional(url),
  forcePathStyle: optional(fc.boolean()),
  credentialsSecretRef: optional(secretRef),
})

const storageValues = fc.oneof(
  object({ s3 }),
  object({
    minio: object({
      storage: optional(storage),
      storageClassName: optional(label),
      bucket: optional(bucket),
      resources: optional(resources),
      existingSecret: optional(label),
      ...workload(),
    }),
  }),
)

const annotationKey = fc.tuple(host, label).map(([domain, name]) => `${domain}/${name}`)

const tlsSettings = fc.oneof(
  object({ mode: optional(fc.constantFrom('operator', 'secret')), secretName: optional(label) }),
  object({
    mode: fc.constant('certManager'),
    issuerRef: object({
      name: label,
      kind: optional(fc.constantFrom('Issuer', 'ClusterIssuer')),
      group: optional(host),
    }),
    secretName: optional(label),
  }),
)

const ingress = object({
  className: optional(text),
  gateway: optional(
    object({
      parentRefs: fc.array(
        object({ name: label, namespace: optional(label), sectionName: optional(label) }),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
    }),
  ),
  tls: optional(tlsSettings),
  annotations: optional(
    fc.dictionary(
      fc.oneof(annotationKey, fc.constant('nginx.ingress.kubernetes.io/limit-rps')),
      text,
      { maxKeys: 3 },
    ),
  ),
  maxBodySize: optional(fc.constantFrom('30m', '100m', '1g', '52428800')),
  rateLimitPerSecond: optional(fc.integer({ min: 1, max: 1000 })),
})

const peer = fc.oneof(
  object({
    namespaceSelector: object({ matchLabels: fc.dictionary(label, label, { maxKeys: 2 }) }),
  }),
  object({ ipBlock: object({ cidr: fc.constantFrom('10.0.0.0/8', '192.168.1.0/24') }) }),
)

const backup = object({
  schedule: optional(cron),
  retention: optional(
    object({
      daily: optional(fc.integer({ min: 1, max: 90 })),
      monthly: optional(fc.integer({ min: 0, max: 24 })),
    }),
  ),
  s3: object({
    bucket,
    prefix: optional(text),
    region: optional(text),
    endpoint: optional(url),
    forcePathStyle: optional(fc.boolean()),
    credentialsSecretRef: optional(secretRef),
    serverSideEncryption: optional(fc.constantFrom('AES256', 'aws:kms', 'none')),
    kmsKeyId: optional(text),
    manageLifecycle: optional(fc.boolean()),
  }),
  encryptionKeySecretRef: secretRef,
  verify: optional(object({ schedule: optional(cron) })),
  serviceAccount: optional(object({ annotations: optional(stringMap) })),
})

const global = object({
  imageRegistry: optional(
    fc.oneof(
      host,
      host.map((name) => `${name}:5000`),
    ),
  ),
  imagePullSecrets: optional(fc.array(secretRef, { maxLength: 2 })),
  // Another chart's global value: left alone.
  storageClass: optional(label),
})

/** The schema refuses a managed Postgres that cannot take every API pool: raise it. */
function withConnectionBudget(values: Record<string, unknown>): Record<string, unknown> {
  const api = (values.api ?? {}) as { replicas?: { max: number }; databasePoolMax?: number }
  const database = values.database as { managed?: { maxConnections?: number } } | undefined
  if (database && !database.managed) return values
  const needed = (api.replicas?.max ?? 10) * (api.databasePoolMax ?? 10) + 20
  const managed = database?.managed ?? {}
  if ((managed.maxConnections ?? 200) >= needed) return values
  return { ...values, database: { managed: { ...managed, maxConnections: needed } } }
}

/** Values of charts/helpdesk (what a user writes in a values file). */
export const helpdeskValues = object({
  global: optional(global),
  commonLabels: optional(labelMap),
  commonAnnotations: optional(stringMap),
  version: optional(fc.stringMatching(/^[0-9]\.[0-9]{1,2}\.[0-9]{1,2}(-rc[0-9])?$/)),
  host: optional(host),
  images: optional(
    object({
      api: optional(image(false)),
      web: optional(image(false)),
      postgres: optional(image()),
      redis: optional(image()),
      minio: optional(image()),
      ingressNginx: optional(image()),
      postgresExporter: optional(image()),
      redisExporter: optional(image()),
      pullPolicy: optional(fc.constantFrom('Always', 'IfNotPresent', 'Never')),
      pullSecrets: optional(fc.array(secretRef, { maxLength: 2 })),
    }),
  ),
  api: optional(
    object({
      replicas: optional(replicas),
      autoscaling: optional(autoscaling),
      resources: optional(resources),
      logLevel: optional(fc.constantFrom('fatal', 'error', 'warn', 'info', 'debug', 'trace')),
      corsOrigins: optional(fc.array(url, { maxLength: 3 })),
      maxAttachmentBytes: optional(fc.integer({ min: 1, max: 2_000_000_000 })),
      databasePoolMax: optional(fc.integer({ min: 1, max: 100 })),
      bootstrapAdmin: optional(
        object({
          email: optional(host.map((name) => `admin@${name}`)),
          existingSecret: optional(label),
        }),
      ),
      appKeys: optional(object({ existingSecret: optional(label) })),
      ...workload(true),
    }),
  ),
  web: optional(
    object({
      replicas: optional(replicas),
      autoscaling: optional(autoscaling),
      resources: optional(resources),
      ...workload(true),
    }),
  ),
  database: optional(database),
  redis: optional(redis),
  storage: optional(storageValues),
  ingress: optional(ingress),
  backup: optional(backup),
  certificates: optional(object({ duration: optional(duration), renewBefore: optional(duration) })),
  networkPolicy: optional(
    object({
      enabled: optional(fc.boolean()),
      ingressFrom: optional(fc.array(peer, { maxLength: 2 })),
      extraEgress: optional(
        fc.array(
          object({
            ports: fc.array(object({ port: port, protocol: fc.constant('TCP') }), { maxLength: 1 }),
          }),
          {
            maxLength: 2,
          },
        ),
      ),
      metricsNamespace: optional(label),
    }),
  ),
  monitoring: optional(
    object({
      serviceMonitor: optional(
        object({
          enabled: optional(fc.boolean()),
          interval: optional(fc.constantFrom('30s', '1m')),
          additionalLabels: optional(labelMap),
        }),
      ),
      prometheusRule: optional(
        object({
          enabled: optional(fc.boolean()),
          additionalLabels: optional(labelMap),
          latencyP95Seconds: optional(fc.constantFrom(0.5, 1.5, 2, 10)),
          errorRatio: optional(fc.constantFrom(0.001, 0.01, 0.05, 0.25)),
          backupMaxAgeHours: optional(fc.integer({ min: 1, max: 200 })),
          certificateMinDays: optional(fc.integer({ min: 1, max: 60 })),
        }),
      ),
      grafanaDashboard: optional(object({ enabled: optional(fc.boolean()) })),
    }),
  ),
  ingressNginx: optional(
    object({
      enabled: optional(fc.boolean()),
      replicas: optional(fc.integer({ min: 1, max: 3 })),
      ...workload(),
    }),
  ),
}).map(withConnectionBudget)

/** Values of charts/helpdesk-operator. */
export const operatorValues = object({
  global: optional(global),
  commonLabels: optional(labelMap),
  commonAnnotations: optional(stringMap),
  crds: optional(object({ enabled: optional(fc.boolean()), keep: optional(fc.boolean()) })),
  image: optional(
    object({
      registry: optional(host),
      repository: optional(fc.tuple(label, label).map((parts) => parts.join('/'))),
      tag: optional(label),
      digest: optional(digest),
    }),
  ),
  upgradeIntervalSeconds: optional(fc.integer({ min: 0, max: 600 })),
  prometheusRule: optional(
    object({ enabled: optional(fc.boolean()), additionalLabels: optional(labelMap) }),
  ),
  networkPolicy: optional(
    object({
      enabled: optional(fc.boolean()),
      metricsFrom: optional(fc.array(peer, { maxLength: 1 })),
    }),
  ),
  rbac: optional(object({ aggregateToDefaultRoles: optional(fc.boolean()) })),
  ...workload(true),
  replicas: optional(fc.integer({ min: 1, max: 5 })),
  resources: optional(resources),
  logLevel: optional(fc.constantFrom('info', 'debug')),
  watch: optional(fc.constantFrom('allNamespaces', 'releaseNamespace')),
  concurrency: optional(fc.integer({ min: 1, max: 64 })),
  resyncSeconds: optional(fc.integer({ min: 10, max: 86400 })),
  leaderElection: optional(
    fc
      .tuple(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 30 }))
      .map(([lease, retry]) => ({
        leaseDurationSeconds: lease,
        renewDeadlineSeconds: lease - 1,
        retryPeriodSeconds: retry,
      })),
  ),
  serviceMonitor: optional(
    object({ enabled: optional(fc.boolean()), additionalLabels: optional(labelMap) }),
  ),
})

export const releaseName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/)
export const namespaceName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/)
