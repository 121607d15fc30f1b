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
const image = fc
  .tuple(host, label, fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$/))
  .map(([registry, name, tag]) => `${registry}/${name}:${tag}`)
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

const database = fc.oneof(
  object({
    managed: object({
      storage: optional(storage),
      storageClassName: optional(label),
      image: optional(image),
      resources: optional(resources),
      tls: optional(tls),
      existingSecret: optional(label),
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
      image: optional(image),
      resources: optional(resources),
      tls: optional(tls),
      existingSecret: optional(label),
    }),
  }),
  object({
    external: object({
      host,
      port: optional(port),
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
  credentialsSecretRef: secretRef,
})

const storageValues = fc.oneof(
  object({ s3 }),
  object({
    minio: object({
      storage: optional(storage),
      storageClassName: optional(label),
      image: optional(image),
      clientImage: optional(image),
      bucket: optional(bucket),
      resources: optional(resources),
      existingSecret: optional(label),
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
    credentialsSecretRef: secretRef,
  }),
  encryptionKeySecretRef: secretRef,
  verify: optional(object({ schedule: optional(cron) })),
})

/** Values of charts/helpdesk (what a user writes in a values file). */
export const helpdeskValues = object({
  version: optional(fc.stringMatching(/^[0-9]\.[0-9]{1,2}\.[0-9]{1,2}(-rc[0-9])?$/)),
  host: optional(host),
  images: optional(
    object({
      api: optional(host.map((name) => `${name}/api`)),
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
    }),
  ),
  web: optional(
    object({
      replicas: optional(replicas),
      autoscaling: optional(autoscaling),
      resources: optional(resources),
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
    }),
  ),
  monitoring: optional(
    object({
      serviceMonitor: optional(
        object({
          enabled: optional(fc.boolean()),
          interval: optional(fc.constantFrom('30s', '1m')),
        }),
      ),
      grafanaDashboard: optional(object({ enabled: optional(fc.boolean()) })),
    }),
  ),
  ingressNginx: optional(
    object({ enabled: optional(fc.boolean()), replicas: optional(fc.integer({ min: 1, max: 3 })) }),
  ),
})

/** Values of charts/helpdesk-operator. */
export const operatorValues = object({
  image: optional(
    object({ repository: optional(host.map((name) => `${name}/operator`)), tag: optional(label) }),
  ),
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
  serviceMonitor: optional(object({ enabled: optional(fc.boolean()) })),
})

export const releaseName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/)
export const namespaceName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/)
