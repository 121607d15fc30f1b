// The Helpdesk instance as components: each maps the (chart-shaped) values to its
// constructs. renderHelpdesk() (the operator, the synth CLI) and the chart generator run
// exactly these functions.
import { API_VARIABLES, DATABASE_VARIABLES } from '@helpdesk/config'
import { App } from 'cdk8s'
import { Api } from '../constructs/api.ts'
import type { BackupEngineProps } from '../constructs/backup-job.ts'
import { BackupSchedule } from '../constructs/backup-schedule.ts'
import { type CertificateRequest, Certificates } from '../constructs/certificates.ts'
import { GeneratedSecret } from '../constructs/generated-secret.ts'
import { HelpdeskAlerts } from '../constructs/helpdesk-alerts.ts'
import { IngressNginx, ingressNginxClassName } from '../constructs/ingress-nginx.ts'
import type { ManagedServiceProps } from '../constructs/managed-service.ts'
import { Migrations } from '../constructs/migrations.ts'
import { Minio } from '../constructs/minio.ts'
import { Monitoring } from '../constructs/monitoring.ts'
import { NetworkPolicies } from '../constructs/network-policies.ts'
import type { PodSettings } from '../constructs/pod-spec.ts'
import { Postgres } from '../constructs/postgres.ts'
import { ReadinessTest } from '../constructs/readiness-test.ts'
import { Redis } from '../constructs/redis.ts'
import { Routing } from '../constructs/routing.ts'
import { ServiceAccountFor } from '../constructs/service-account.ts'
import { Web } from '../constructs/web.ts'
import { API_DRAIN, PORTS } from '../defaults.ts'
import type { HelpdeskValues } from '../schema/helpdesk.ts'
import { imageReference } from '../schema/images.ts'
import type { WorkloadValues } from '../schema/workload.ts'
import {
  applicationKeys,
  attachmentsConnection,
  combine,
  databaseConnection,
  GENERATED_APP_KEY_ID,
  mailConnection,
  redisConnection,
  secretNames,
} from './connections.ts'
import { HelpdeskChart, type RenderContext } from './context.ts'
import { chartObjects, type KubeObject, withCommonMetadata } from './kube-object.ts'
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
  return imageReference(values.images.api, values.version)
}

const pullSettings = (values: HelpdeskValues) => ({
  imagePullPolicy: values.images.pullPolicy,
  imagePullSecrets: values.images.pullSecrets,
})

/**
 * A component's pod settings, field by field (configured values are read, never spread, so
 * that a component depends only on the choices it uses). Jobs take no spread; servers
 * without a Service's traffic take no extras.
 */
export function podSettings(
  workload: WorkloadValues,
  options: { spread?: boolean; extras?: boolean } = {},
): PodSettings {
  return {
    nodeSelector: workload.nodeSelector,
    tolerations: workload.tolerations,
    affinity: workload.affinity,
    priorityClassName: workload.priorityClassName,
    podAnnotations: workload.podAnnotations,
    podLabels: workload.podLabels,
    ...(options.extras === false
      ? {}
      : {
          extraEnv: workload.extraEnv,
          extraEnvFrom: workload.extraEnvFrom,
          extraVolumes: workload.extraVolumes,
          extraVolumeMounts: workload.extraVolumeMounts,
        }),
    ...(options.spread ? { topologySpreadConstraints: workload.topologySpreadConstraints } : {}),
  }
}

const autoscaling = (settings: HelpdeskValues['api']['autoscaling']) =>
  settings.enabled
    ? {
        cpuUtilization: settings.targetCPUUtilizationPercentage,
        memoryUtilization: settings.targetMemoryUtilizationPercentage,
        scaleDownStabilizationSeconds: settings.scaleDownStabilizationSeconds,
      }
    : undefined

/** Everything of a Deployment with replicas (api, web) but its image and environment. */
function replicatedProps(workload: HelpdeskValues['api'] | HelpdeskValues['web']) {
  return {
    replicas: workload.replicas,
    autoscaling: autoscaling(workload.autoscaling),
    disruptionBudget: workload.podDisruptionBudget,
    resources: workload.resources,
    settings: podSettings(workload, { spread: true }),
    serviceAccountAnnotations: workload.serviceAccount.annotations,
  }
}

function addApi(chart: HelpdeskChart, values: HelpdeskValues): void {
  const context = chart.context
  const connection = combine(
    databaseConnection(context, values),
    redisConnection(context, values),
    attachmentsConnection(context, values),
    applicationKeys(context, values),
    mailConnection(values),
  )
  const { api } = values
  new Api(chart, 'api', {
    ...pullSettings(values),
    ...replicatedProps(api),
    image: apiImage(values),
    version: values.version,
    environment: {
      [API_VARIABLES.port]: String(PORTS.http),
      [API_VARIABLES.metricsPort]: String(PORTS.metrics),
      [API_VARIABLES.logLevel]: api.logLevel,
      [API_VARIABLES.publicUrl]: `https://${values.host}`,
      [API_VARIABLES.corsOrigins]: context.joinList(api.corsOrigins, ','),
      [API_VARIABLES.trustProxy]: 'true',
      [API_VARIABLES.shutdownGraceMs]: String(API_DRAIN.shutdownGraceMs),
      [API_VARIABLES.maxAttachmentBytes]: String(api.maxAttachmentBytes),
      [API_VARIABLES.bootstrapAdminEmail]: api.bootstrapAdmin.email ?? `admin@${values.host}`,
      [DATABASE_VARIABLES.poolMax]: String(api.databasePoolMax),
      ...connection.environment,
    },
    secretEnvironment: [
      ...connection.secretEnvironment,
      {
        name: API_VARIABLES.bootstrapAdminPassword,
        secretName: api.bootstrapAdmin.existingSecret ?? secretNames.admin(context),
        key: 'password',
      },
    ],
    secretFiles: connection.secretFiles,
    secretDirectories: connection.secretDirectories,
  })
}

/** Jobs running the API image (migrations, backups) take the API's pod settings. */
const apiJobSettings = (values: HelpdeskValues) => podSettings(values.api)

function addMigrations(chart: HelpdeskChart, values: HelpdeskValues): void {
  const connection = databaseConnection(chart.context, values)
  new Migrations(chart, 'migrations', {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    ...connection,
    settings: apiJobSettings(values),
  })
}

function addWeb(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { web } = values
  new Web(chart, 'web', {
    ...pullSettings(values),
    ...replicatedProps(web),
    image: imageReference(values.images.web, values.version),
    version: values.version,
    apiUpstream: `http://${objectName(chart.context, 'api')}:${PORTS.http}`,
    clientMaxBodySize: values.ingress.maxBodySize,
  })
}

function addCredentials(chart: HelpdeskChart, values: HelpdeskValues): void {
  const context = chart.context
  const secret = (
    component: 'postgres' | 'redis' | 'minio' | 'api',
    name: string,
    keys: Record<string, number>,
    sealsDatabase = false,
  ) =>
    new GeneratedSecret(chart, name, {
      name,
      component,
      version: values.version,
      keys,
      sealsDatabase,
    })
  const { managed: database } = values.database
  if (database && database.existingSecret === undefined) {
    secret('postgres', secretNames.postgresAuth(context), {
      password: 32,
      'superuser-password': 32,
    })
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
    secret('api', secretNames.appKeys(context, values), { [GENERATED_APP_KEY_ID]: 43 }, true)
  }
}

type ManagedPostgres = NonNullable<HelpdeskValues['database']['managed']>
type ManagedRedis = NonNullable<HelpdeskValues['redis']['managed']>

/** What the managed Postgres and Redis take alike: one helper for both. */
function managedService(
  chart: HelpdeskChart,
  values: HelpdeskValues,
  service: 'postgres' | 'redis',
  managed: ManagedPostgres | ManagedRedis,
): ManagedServiceProps {
  const context = chart.context
  const secrets =
    service === 'postgres'
      ? { auth: secretNames.postgresAuth(context), tls: secretNames.postgresTls }
      : { auth: secretNames.redisAuth(context), tls: secretNames.redisTls }
  const exporter =
    service === 'postgres' ? values.images.postgresExporter : values.images.redisExporter
  return {
    ...pullSettings(values),
    image: imageReference(values.images[service]),
    version: values.version,
    storage: managed.storage,
    storageClassName: managed.storageClassName,
    resources: managed.resources,
    passwordSecretName: managed.existingSecret ?? secrets.auth,
    tlsSecretName: managed.tls.enabled === true ? secrets.tls(context, managed) : undefined,
    exporterImage: managed.metrics.enabled ? imageReference(exporter) : undefined,
    settings: podSettings(managed),
    serviceAccountAnnotations: managed.serviceAccount.annotations,
  }
}

function addPostgres(chart: HelpdeskChart, values: HelpdeskValues): void {
  const database = values.database.managed
  if (!database) return
  new Postgres(chart, 'postgres', {
    ...managedService(chart, values, 'postgres', database),
    maxConnections: database.maxConnections,
    parameters: database.parameters,
  })
}

function addRedis(chart: HelpdeskChart, values: HelpdeskValues): void {
  const redis = values.redis.managed
  if (!redis) return
  new Redis(chart, 'redis', {
    ...managedService(chart, values, 'redis', redis),
    appendOnly: redis.appendOnly,
  })
}

function addMinio(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { minio } = values.storage
  if (!minio) return
  new Minio(chart, 'minio', {
    ...pullSettings(values),
    image: imageReference(values.images.minio),
    bucketJobImage: apiImage(values),
    bucketConnection: attachmentsConnection(chart.context, values),
    version: values.version,
    bucket: minio.bucket,
    storage: minio.storage,
    storageClassName: minio.storageClassName,
    resources: minio.resources,
    credentialsSecretName: minio.existingSecret ?? secretNames.minioAuth(chart.context),
    settings: podSettings(minio),
    serviceAccountAnnotations: minio.serviceAccount.annotations,
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
  if (database?.tls.enabled === true) {
    requests.push({
      component: 'postgres',
      name: objectName(context, 'postgres-tls'),
      secretName: secretNames.postgresTls(context, database),
      dnsNames: serviceNames(context, 'postgres'),
    })
  }
  const { managed: redis } = values.redis
  if (redis?.tls.enabled === true) {
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
    image: imageReference(values.images.ingressNginx),
    imagePullPolicy: values.images.pullPolicy,
    replicas: controller.replicas,
    version: values.version,
    imagePullSecrets: values.images.pullSecrets,
    settings: podSettings(controller),
  })
}

function addNetworkPolicies(chart: HelpdeskChart, values: HelpdeskValues): void {
  const policy = values.networkPolicy
  if (!policy.enabled) return
  const { external: database, managed: managedDatabase } = values.database
  const { external: redis, managed: managedRedis } = values.redis
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
    mailPorts: mailPorts(values),
    database: database ? { port: database.port } : 'managed',
    redis: redis ? { port: redis.port } : 'managed',
    exporters: [
      ...(managedDatabase?.metrics.enabled ? (['postgres'] as const) : []),
      ...(managedRedis?.metrics.enabled ? (['redis'] as const) : []),
    ],
    attachments: values.storage.minio ? 'minio' : 's3',
    backups: values.backup !== undefined,
    ingressNginx: values.ingressNginx.enabled,
  })
}

/** The SMTP and IMAP ports the API reaches, when mail is configured. */
function mailPorts(values: HelpdeskValues): number[] {
  const { smtp, channels } = values.mail
  return [...(smtp ? [smtp.port] : []), ...(channels ? [channels.port] : [])]
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
      credentialsSecretName: backup.s3.credentialsSecretRef?.name,
      serverSideEncryption: backup.s3.serverSideEncryption,
      kmsKeyId: backup.s3.kmsKeyId,
      manageLifecycle: backup.s3.manageLifecycle,
    },
    keyringSecretName: backup.encryptionKeySecretRef.name,
    serviceAccountName: objectName(context, 'backup'),
    settings: apiJobSettings(values),
  }
}

/** The identity of backup, restore and drill Jobs: chart and operator installs alike. */
function addBackupIdentity(chart: HelpdeskChart, values: HelpdeskValues): void {
  const { backup } = values
  if (!backup) return
  new ServiceAccountFor(chart, 'backup-identity', {
    component: 'backup',
    version: values.version,
    annotations: backup.serviceAccount.annotations,
  })
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
    serviceMonitor: serviceMonitor.enabled
      ? {
          interval: serviceMonitor.interval,
          labels: serviceMonitor.additionalLabels,
          exporters: [
            ...(values.database.managed?.metrics.enabled ? (['postgres'] as const) : []),
            ...(values.redis.managed?.metrics.enabled ? (['redis'] as const) : []),
          ],
        }
      : undefined,
    grafanaDashboard: grafanaDashboard.enabled,
  })
}

function addAlerts(chart: HelpdeskChart, values: HelpdeskValues): void {
  const rule = values.monitoring.prometheusRule
  if (!rule.enabled) return
  new HelpdeskAlerts(chart, 'alerts', {
    version: values.version,
    labels: rule.additionalLabels,
    thresholds: rule,
    managedPostgres: values.database.managed !== undefined,
    managedRedis: values.redis.managed !== undefined,
    backups: values.backup !== undefined,
    restoreDrills: values.backup?.verify !== undefined,
  })
}

function addReadinessTest(chart: HelpdeskChart, values: HelpdeskValues): void {
  new ReadinessTest(chart, 'test', {
    ...pullSettings(values),
    image: apiImage(values),
    version: values.version,
    networkPolicy: values.networkPolicy.enabled,
    settings: podSettings(values.api, { extras: false }),
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
  { id: 'backup-identity', add: addBackupIdentity },
  { id: 'backup', add: addBackupSchedule, backupSchedule: true },
  { id: 'monitoring', add: addMonitoring },
  { id: 'alerts', add: addAlerts },
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
  return withCommonMetadata(chartObjects(chart), {
    labels: values.commonLabels,
    annotations: values.commonAnnotations,
    chart: context.chartLabel,
  })
}
