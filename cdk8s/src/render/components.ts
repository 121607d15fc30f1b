// The Helpdesk instance as components: each maps the (chart-shaped) values to its
// constructs. renderHelpdesk() (the operator, the synth CLI) and the chart generator run
// exactly these functions.
import { App } from 'cdk8s'
import { Api } from '../constructs/api.ts'
import type { BackupEngineProps } from '../constructs/backup-job.ts'
import { BackupSchedule } from '../constructs/backup-schedule.ts'
import { type CertificateRequest, Certificates } from '../constructs/certificates.ts'
import { GeneratedSecret } from '../constructs/generated-secret.ts'
import { IngressNginx, ingressNginxClassName } from '../constructs/ingress-nginx.ts'
import { Migrations } from '../constructs/migrations.ts'
import { Minio } from '../constructs/minio.ts'
import { Monitoring } from '../constructs/monitoring.ts'
import { NetworkPolicies } from '../constructs/network-policies.ts'
import { Postgres } from '../constructs/postgres.ts'
import { ReadinessTest } from '../constructs/readiness-test.ts'
import { Redis } from '../constructs/redis.ts'
import { Routing } from '../constructs/routing.ts'
import { Web } from '../constructs/web.ts'
import { API_DRAIN, PORTS } from '../defaults.ts'
import type { HelpdeskValues } from '../schema/helpdesk.ts'
import {
  applicationKeys,
  attachmentsConnection,
  combine,
  databaseConnection,
  GENERATED_APP_KEY_ID,
  redisConnection,
  secretNames,
} from './connections.ts'
import { HelpdeskChart, type RenderContext } from './context.ts'
import { chartObjects, type KubeObject } from './kube-object.ts'
import { objectName } from './labels.ts'

export interface HelpdeskComponent {
  id: string
  add(chart: HelpdeskChart, values: HelpdeskValues): void
  /** Only in the Helm chart (test hooks). */
  chartOnly?: boolean
  /** Left out when the operator schedules backups itself. */
  backupSchedule?: boolean
}

export function apiImage(values: HelpdeskValues): string {
  return `${values.images.api}:${values.version}`
}

const pullSettings = (values: HelpdeskValues) => ({
  imagePullPolicy: values.images.pullPolicy,
  imagePullSecrets: values.images.pullSecrets,
})

const autoscaling = (settings: HelpdeskValues['api']['autoscaling']) =>
  settings.enabled
    ? {
        cpuUtilization: settings.targetCPUUtilizationPercentage,
        memoryUtilization: settings.targetMemoryUtilizationPercentage,
        scaleDownStabilizationSeconds: settings.scaleDownStabilizationSeconds,
      }
    : undefined

function addApi(chart: HelpdeskChart, values: HelpdeskValues): void {
  const context = chart.context
  const connection = combine(
    databaseConnection(context, values),
    redisConnection(context, values),
    attachmentsConnection(context, values),
    applicationKeys(context, values),
  )
  const { api } = values
  new Api(chart, 'api', {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    replicas: api.replicas,
    autoscaling: autoscaling(api.autoscaling),
    resources: api.resources,
    environment: {
      PORT: String(PORTS.http),
      HELPDESK_METRICS_PORT: String(PORTS.metrics),
      LOG_LEVEL: api.logLevel,
      HELPDESK_PUBLIC_URL: `https://${values.host}`,
      HELPDESK_CORS_ORIGINS: context.joinList(api.corsOrigins, ','),
      HELPDESK_TRUST_PROXY: 'true',
      HELPDESK_SHUTDOWN_GRACE_MS: String(API_DRAIN.shutdownGraceMs),
      HELPDESK_MAX_ATTACHMENT_BYTES: String(api.maxAttachmentBytes),
      HELPDESK_BOOTSTRAP_ADMIN_EMAIL: api.bootstrapAdmin.email ?? `admin@${values.host}`,
      DATABASE_POOL_MAX: String(api.databasePoolMax),
      ...connection.environment,
    },
    secretEnvironment: [
      ...connection.secretEnvironment,
      {
        name: 'HELPDESK_BOOTSTRAP_ADMIN_PASSWORD',
        secretName: api.bootstrapAdmin.existingSecret ?? secretNames.admin(context),
        key: 'password',
      },
    ],
    secretFiles: connection.secretFiles,
    secretDirectories: connection.secretDirectories,
  })
}

function addMigrations(chart: HelpdeskChart, values: HelpdeskValues): void {
  const connection = databaseConnection(chart.context, values)
  new Migrations(chart, 'migrations', {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    ...connection,
  })
}

function addWeb(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { web } = values
  new Web(chart, 'web', {
    ...pullSettings(values),
    image: `${values.images.web}:${values.version}`,
    version: values.version,
    replicas: web.replicas,
    autoscaling: autoscaling(web.autoscaling),
    resources: web.resources,
    apiUpstream: `http://${objectName(chart.context, 'api')}:${PORTS.http}`,
    clientMaxBodySize: values.ingress.maxBodySize,
  })
}

function addCredentials(chart: HelpdeskChart, values: HelpdeskValues): void {
  const context = chart.context
  const secret = (
    component: Parameters<typeof objectName>[1],
    name: string,
    keys: Record<string, number>,
  ) =>
    new GeneratedSecret(chart, name, {
      name,
      component: component as never,
      version: values.version,
      keys,
    })
  const { managed: database } = values.database
  if (database && database.existingSecret === undefined) {
    secret('postgres', secretNames.postgresAuth(context), { password: 32 })
  }
  const { managed: redis } = values.redis
  if (redis && redis.existingSecret === undefined) {
    secret('redis', secretNames.redisAuth(context), { password: 32 })
  }
  const { minio } = values.storage
  if (minio && minio.existingSecret === undefined) {
    secret('minio', secretNames.minioAuth(context), {
      AWS_ACCESS_KEY_ID: 20,
      AWS_SECRET_ACCESS_KEY: 40,
    })
  }
  if (values.api.bootstrapAdmin.existingSecret === undefined) {
    secret('api', secretNames.admin(context), { password: 24 })
  }
  // 43 characters of 62: 256 bits, read as 32 bytes of base64 (the keyring's format).
  if (values.api.appKeys.existingSecret === undefined) {
    secret('api', secretNames.appKeys(context, values), { [GENERATED_APP_KEY_ID]: 43 })
  }
}

function addPostgres(chart: HelpdeskChart, values: HelpdeskValues): void {
  const database = values.database.managed
  if (!database) return
  const context = chart.context
  new Postgres(chart, 'postgres', {
    image: database.image,
    imagePullSecrets: values.images.pullSecrets,
    version: values.version,
    storage: database.storage,
    storageClassName: database.storageClassName,
    resources: database.resources,
    passwordSecret: {
      name: database.existingSecret ?? secretNames.postgresAuth(context),
      key: 'password',
    },
    tlsSecretName: database.tls.enabled ? secretNames.postgresTls(context, database) : undefined,
  })
}

function addRedis(chart: HelpdeskChart, values: HelpdeskValues): void {
  const redis = values.redis.managed
  if (!redis) return
  const context = chart.context
  new Redis(chart, 'redis', {
    image: redis.image,
    imagePullSecrets: values.images.pullSecrets,
    version: values.version,
    storage: redis.storage,
    storageClassName: redis.storageClassName,
    resources: redis.resources,
    passwordSecret: {
      name: redis.existingSecret ?? secretNames.redisAuth(context),
      key: 'password',
    },
    tlsSecretName: redis.tls.enabled ? secretNames.redisTls(context, redis) : undefined,
  })
}

function addMinio(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { minio } = values.storage
  if (!minio) return
  new Minio(chart, 'minio', {
    image: minio.image,
    clientImage: minio.clientImage,
    imagePullSecrets: values.images.pullSecrets,
    version: values.version,
    bucket: minio.bucket,
    storage: minio.storage,
    storageClassName: minio.storageClassName,
    resources: minio.resources,
    credentialsSecretName: minio.existingSecret ?? secretNames.minioAuth(chart.context),
  })
}

function addRouting(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { ingress } = values
  new Routing(chart, 'routing', {
    version: values.version,
    host: values.host,
    gatewayParents: ingress.gateway?.parentRefs,
    ingressClassName: values.ingressNginx.enabled
      ? ingressNginxClassName(chart.context)
      : ingress.className,
    tlsSecretName: secretNames.ingressTls(chart.context, values),
    rateLimitPerSecond: ingress.rateLimitPerSecond,
    maxBodySize: ingress.maxBodySize,
    annotations: ingress.annotations,
  })
}

/** Host names a server certificate must carry: the Service, short and qualified. */
function serviceNames(context: RenderContext, component: string): string[] {
  const service = objectName(context, component)
  return [
    service,
    `${service}.${context.namespace}.svc`,
    `${service}.${context.namespace}.svc.cluster.local`,
  ]
}

function addCertificates(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { tls } = values.ingress
  if (tls.mode !== 'certManager' || !tls.issuerRef) return
  const context = chart.context
  const requests: CertificateRequest[] = [
    {
      component: 'web',
      name: objectName(context, 'tls'),
      secretName: secretNames.ingressTls(context, values),
      dnsNames: [values.host],
    },
  ]
  const { managed: database } = values.database
  if (database?.tls.enabled) {
    requests.push({
      component: 'postgres',
      name: objectName(context, 'postgres-tls'),
      secretName: secretNames.postgresTls(context, database),
      dnsNames: serviceNames(context, 'postgres'),
    })
  }
  const { managed: redis } = values.redis
  if (redis?.tls.enabled) {
    requests.push({
      component: 'redis',
      name: objectName(context, 'redis-tls'),
      secretName: secretNames.redisTls(context, redis),
      dnsNames: serviceNames(context, 'redis'),
    })
  }
  new Certificates(chart, 'certificates', {
    version: values.version,
    issuerRef: tls.issuerRef,
    duration: values.certificates.duration,
    renewBefore: values.certificates.renewBefore,
    certificates: requests,
  })
}

function addIngressNginx(chart: HelpdeskChart, values: HelpdeskValues): void {
  const controller = values.ingressNginx
  if (!controller.enabled) return
  new IngressNginx(chart, 'ingress-nginx', {
    image: controller.image,
    replicas: controller.replicas,
    version: values.version,
    imagePullSecrets: values.images.pullSecrets,
  })
}

function addNetworkPolicies(chart: HelpdeskChart, values: HelpdeskValues): void {
  const policy = values.networkPolicy
  if (!policy.enabled) return
  const { external: database } = values.database
  const { external: redis } = values.redis
  new NetworkPolicies(chart, 'network-policies', {
    version: values.version,
    ingressFrom: policy.ingressFrom,
    metricsFrom: [
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': policy.metricsNamespace },
        },
      },
    ],
    extraEgress: policy.extraEgress,
    database: database ? { port: database.port } : 'managed',
    redis: redis ? { port: redis.port } : 'managed',
    attachments: values.storage.minio ? 'minio' : 's3',
    backups: values.backup !== undefined,
    ingressNginx: values.ingressNginx.enabled,
  })
}

/** The backup engine's settings for an instance: shared by the CronJobs and backupJob(). */
export function backupEngineProps(
  context: RenderContext,
  values: HelpdeskValues,
): BackupEngineProps | undefined {
  const { backup } = values
  if (!backup) return undefined
  return {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    connection: combine(
      databaseConnection(context, values),
      attachmentsConnection(context, values),
      applicationKeys(context, values),
    ),
    target: {
      bucket: backup.s3.bucket,
      prefix: backup.s3.prefix,
      region: backup.s3.region,
      endpoint: backup.s3.endpoint,
      forcePathStyle: backup.s3.forcePathStyle,
      credentialsSecretName: backup.s3.credentialsSecretRef.name,
    },
    keyringSecretName: backup.encryptionKeySecretRef.name,
  }
}

function addBackupSchedule(chart: HelpdeskChart, values: HelpdeskValues): void {
  const engine = backupEngineProps(chart.context, values)
  const { backup } = values
  if (!engine || !backup) return
  new BackupSchedule(chart, 'backup', {
    ...engine,
    schedule: backup.schedule,
    retention: backup.retention,
    verifySchedule: backup.verify?.schedule,
  })
}

function addMonitoring(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { serviceMonitor, grafanaDashboard } = values.monitoring
  if (!serviceMonitor.enabled && !grafanaDashboard.enabled) return
  new Monitoring(chart, 'monitoring', {
    version: values.version,
    serviceMonitorInterval: serviceMonitor.enabled ? serviceMonitor.interval : undefined,
    grafanaDashboard: grafanaDashboard.enabled,
  })
}

function addReadinessTest(chart: HelpdeskChart, values: HelpdeskValues): void {
  new ReadinessTest(chart, 'test', {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    networkPolicy: values.networkPolicy.enabled,
  })
}

export const HELPDESK_COMPONENTS: readonly HelpdeskComponent[] = [
  { id: 'credentials', add: addCredentials },
  { id: 'api', add: addApi },
  { id: 'migrations', add: addMigrations },
  { id: 'web', add: addWeb },
  { id: 'postgres', add: addPostgres },
  { id: 'redis', add: addRedis },
  { id: 'minio', add: addMinio },
  { id: 'routing', add: addRouting },
  { id: 'certificates', add: addCertificates },
  { id: 'ingress-nginx', add: addIngressNginx },
  { id: 'network-policies', add: addNetworkPolicies },
  { id: 'backup', add: addBackupSchedule, backupSchedule: true },
  { id: 'monitoring', add: addMonitoring },
  { id: 'test', add: addReadinessTest, chartOnly: true },
]

/** One component's objects under a context: the single way objects come to be. */
export function renderComponent(
  component: HelpdeskComponent,
  values: HelpdeskValues,
  context: RenderContext,
): KubeObject[] {
  const chart = new HelpdeskChart(new App(), component.id, context)
  component.add(chart, values)
  return chartObjects(chart)
}
