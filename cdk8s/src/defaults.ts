// Every default that more than one place needs: the zod schema, the constructs' props and
// the documentation all read them from here.

/** The product version: image tag of api, web and operator, and the charts' appVersion. */
export const HELPDESK_VERSION = '0.1.0'

export const IMAGES = {
  api: 'ghcr.io/helpdesk/api',
  web: 'ghcr.io/helpdesk/web',
  operator: 'ghcr.io/helpdesk/operator',
  postgres: 'docker.io/library/postgres:15',
  redis: 'docker.io/library/redis:7',
  minio: 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z',
  minioClient: 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z',
  ingressNginx: 'registry.k8s.io/ingress-nginx/controller:v1.13.3',
} as const

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
} as const

/** The seed: 512 MB RAM and 1 CPU core per API container. */
export const API_RESOURCES = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '1', memory: '512Mi' },
}
export const WEB_RESOURCES = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
}
export const POSTGRES_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '2', memory: '1Gi' },
}
export const REDIS_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
}
export const MINIO_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '1Gi' },
}
export const JOB_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
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
