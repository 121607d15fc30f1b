// Every default that more than one place needs: the zod schema, the constructs' props and
// the documentation all read them from here.

/** The product version: image tag of api, web and operator, and the charts' appVersion. */
export const HELPDESK_VERSION = '0.1.0'

/** The helm.sh/chart label of a chart's objects. */
export const chartLabel = (chart: 'helpdesk' | 'helpdesk-operator') =>
  `${chart}-${HELPDESK_VERSION}`

export interface ImageDefaults {
  readonly registry: string
  readonly repository: string
  /** @default - the product version (our own images) */
  readonly tag?: string
}

/** Every image the charts run; ours take the product version as their tag. */
export const IMAGES = {
  api: { registry: 'ghcr.io', repository: 'helpdesk/api' },
  web: { registry: 'ghcr.io', repository: 'helpdesk/web' },
  operator: { registry: 'ghcr.io', repository: 'helpdesk/operator' },
  postgres: { registry: 'docker.io', repository: 'library/postgres', tag: '15' },
  redis: { registry: 'docker.io', repository: 'library/redis', tag: '7' },
  minio: { registry: 'quay.io', repository: 'minio/minio', tag: 'RELEASE.2025-09-07T16-13-09Z' },
  ingressNginx: {
    registry: 'registry.k8s.io',
    repository: 'ingress-nginx/controller',
    tag: 'v1.13.3',
  },
  postgresExporter: {
    registry: 'quay.io',
    repository: 'prometheuscommunity/postgres-exporter',
    tag: 'v0.17.1',
  },
  redisExporter: { registry: 'docker.io', repository: 'oliver006/redis_exporter', tag: 'v1.74.0' },
} as const satisfies Record<string, ImageDefaults>

/** UIDs the images run as (CONTRIBUTING.md "Images"; the official postgres/redis images use 999). */
export const UIDS = { helpdesk: 10001, postgres: 999, redis: 999, minio: 1000, ingressNginx: 101 }

export const PORTS = {
  http: 8080,
  /** The API's /metrics and detailed /healthz (HELPDESK_METRICS_PORT): never the ingress's. */
  metrics: 9464,
  postgres: 5432,
  redis: 6379,
  minio: 9000,
  https: 8443,
  postgresMetrics: 9187,
  redisMetrics: 9121,
} as const

/** The seed: 512 MB RAM and 1 CPU core per API container. */
// Ephemeral storage: requests so the scheduler counts the scratch space, limits so that a
// runaway log or temp file evicts the pod instead of filling the node's disk.
export const API_RESOURCES = {
  requests: { cpu: '500m', memory: '512Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '1Gi' },
}
export const WEB_RESOURCES = {
  requests: { cpu: '100m', memory: '64Mi', ephemeralStorage: '32Mi' },
  limits: { cpu: '500m', memory: '128Mi', ephemeralStorage: '256Mi' },
}
export const POSTGRES_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '2', memory: '1Gi', ephemeralStorage: '1Gi' },
}
export const REDIS_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi', ephemeralStorage: '32Mi' },
  limits: { cpu: '500m', memory: '256Mi', ephemeralStorage: '512Mi' },
}
export const MINIO_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '1', memory: '1Gi', ephemeralStorage: '1Gi' },
}
/** Exporters and the certificate-reload sidecar. */
export const SIDECAR_RESOURCES = {
  requests: { cpu: '10m', memory: '32Mi', ephemeralStorage: '16Mi' },
  limits: { cpu: '200m', memory: '128Mi', ephemeralStorage: '64Mi' },
}
export const INGRESS_NGINX_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '1Gi' },
}
/** Migrations, backups, restores, drills: the engine streams, /tmp holds little. */
export const JOB_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi', ephemeralStorage: '64Mi' },
  limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '2Gi' },
}

/**
 * The small profile (charts/helpdesk/values-small.yaml): requests that leave room on a node of
 * two CPUs — a trial, a small team, a CI cluster — with one API and one web pod at rest and the
 * HPA still free to add more. Limits stay as in production, so a pod may burst into the node's
 * spare CPU. The production defaults above are unchanged.
 */
export const SMALL_PROFILE = {
  api: {
    replicas: { min: 1, max: 3 },
    resources: { requests: { cpu: '100m', memory: '320Mi' }, limits: API_RESOURCES.limits },
  },
  web: {
    replicas: { min: 1, max: 2 },
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: WEB_RESOURCES.limits },
  },
  database: {
    managed: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: POSTGRES_RESOURCES.limits },
    },
  },
  redis: {
    managed: {
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: REDIS_RESOURCES.limits },
    },
  },
  storage: {
    minio: {
      resources: { requests: { cpu: '20m', memory: '128Mi' }, limits: MINIO_RESOURCES.limits },
    },
  },
}

/**
 * The API drains for HELPDESK_SHUTDOWN_GRACE_MS after SIGTERM. Kubernetes first runs the
 * preStop sleep (endpoints and ingress controllers stop sending new requests meanwhile),
 * then sends SIGTERM; the grace period covers both plus a margin for process exit.
 */
export const API_DRAIN = {
  preStopSeconds: 10,
  shutdownGraceMs: 20_000,
  terminationGracePeriodSeconds: 35,
}
export const WEB_DRAIN = { preStopSeconds: 5, terminationGracePeriodSeconds: 15 }

/** Postgres connections beyond the API pools: migrations, backups, the exporter, superusers. */
export const CONNECTION_RESERVE = 20

/** Longest instance (release) name: `<instance>-migrations-<hash>` must stay a DNS label. */
export const MAX_INSTANCE_NAME_LENGTH = 40

export const STANDARD_LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  version: 'app.kubernetes.io/version',
  managedBy: 'app.kubernetes.io/managed-by',
} as const
