import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { PORTS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import {
  type Component,
  instanceSelector,
  objectName,
  selectorLabels,
  standardLabels,
} from '../render/labels.ts'

/** A dependency outside the namespace's pods, reached on one TCP port. */
export interface ExternalEndpoint {
  readonly port: number
}

export interface NetworkPoliciesProps {
  readonly version: string
  /** NetworkPolicyPeers allowed to reach web and api (empty: every source). */
  readonly ingressFrom: readonly Record<string, unknown>[]
  /**
   * NetworkPolicyPeers allowed to scrape the metrics ports: the API's and the exporters'.
   * @default - nobody
   */
  readonly metricsFrom?: readonly Record<string, unknown>[]
  /** More egress rules for the API and backups. @default - none */
  readonly extraEgress?: readonly Record<string, unknown>[]
  /** The API's mail servers' ports (SMTP, IMAP), anywhere: only these. @default - none */
  readonly mailPorts?: readonly number[]
  /** Managed services with an exporter sidecar. */
  readonly exporters: readonly ('postgres' | 'redis')[]
  /** Managed Postgres in the namespace, or an external one on a port. */
  readonly database: 'managed' | ExternalEndpoint
  readonly redis: 'managed' | ExternalEndpoint
  /** In-cluster MinIO, or S3 over HTTPS. */
  readonly attachments: 'minio' | 's3'
  /** Backup pods (the chart's CronJob or the operator's Jobs) exist. */
  readonly backups: boolean
  /** The release's own ingress-nginx controller exists. */
  readonly ingressNginx: boolean
}

const DNS = { ports: [53, 53].map((port, index) => ({ port, protocol: index ? 'TCP' : 'UDP' })) }

/**
 * Default deny for every pod of the instance, then only the flows the product needs (the
 * seed's port table): clients to web and api on 8080, web to api, api/migrations/backups
 * to Postgres, api to Redis, api/backups to the attachments store and S3, api to the
 * configured mail servers' ports, and DNS.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const policy = (
      suffix: string,
      component: Component | undefined,
      spec: Record<string, unknown>,
    ) =>
      new ApiObject(this, suffix, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: objectName(context, suffix),
          labels: standardLabels(context, component, props.version),
        },
        spec,
      })
    const pods = (component: Component) => ({
      podSelector: { matchLabels: selectorLabels(context, component) },
    })
    const tcp = (port: number) => ({ port, protocol: 'TCP' })
    const to = (component: Component, port: number) => ({
      to: [pods(component)],
      ports: [tcp(port)],
    })
    const from = (components: Component[], port: number) => ({
      from: components.map(pods),
      ports: [tcp(port)],
    })
    const anywhere = (port: number) => ({ ports: [tcp(port)] })
    const scrapers = (port: number) =>
      props.metricsFrom?.length ? [{ from: props.metricsFrom, ports: [tcp(port)] }] : []

    const database =
      props.database === 'managed' ? to('postgres', PORTS.postgres) : anywhere(props.database.port)
    const redis = props.redis === 'managed' ? to('redis', PORTS.redis) : anywhere(props.redis.port)
    const attachments = props.attachments === 'minio' ? [to('minio', PORTS.minio)] : httpsAnywhere()
    const publicClients = [
      { from: props.ingressFrom, ports: [tcp(PORTS.http)] },
      ...(props.ingressNginx ? [from(['ingress-nginx'], PORTS.http)] : []),
    ]

    policy('default-deny', undefined, {
      podSelector: { matchLabels: instanceSelector(context) },
      policyTypes: ['Ingress', 'Egress'],
    })
    policy('api', 'api', {
      ...pods('api'),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [...publicClients, from(['web', 'test'], PORTS.http), ...scrapers(PORTS.metrics)],
      egress: [
        DNS,
        database,
        redis,
        ...attachments,
        ...(props.mailPorts ?? []).map(anywhere),
        ...(props.extraEgress ?? []),
      ],
    })
    policy('web', 'web', {
      ...pods('web'),
      policyTypes: ['Ingress', 'Egress'],
      ingress: publicClients,
      egress: [DNS, to('api', PORTS.http)],
    })
    policy('migrations', 'migrations', {
      ...pods('migrations'),
      policyTypes: ['Egress'],
      egress: [DNS, database],
    })
    const exporter = (component: 'postgres' | 'redis', port: number) =>
      props.exporters.includes(component) ? scrapers(port) : []
    if (props.database === 'managed') {
      policy('postgres', 'postgres', {
        ...pods('postgres'),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          from(['api', 'migrations', 'backup'], PORTS.postgres),
          ...exporter('postgres', PORTS.postgresMetrics),
        ],
        egress: [],
      })
    }
    if (props.redis === 'managed') {
      policy('redis', 'redis', {
        ...pods('redis'),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [from(['api'], PORTS.redis), ...exporter('redis', PORTS.redisMetrics)],
        egress: [],
      })
    }
    if (props.attachments === 'minio') {
      policy('minio', 'minio', {
        ...pods('minio'),
        policyTypes: ['Ingress', 'Egress'],
        // The bucket Job's pods carry the minio component label too.
        ingress: [from(['api', 'backup', 'minio'], PORTS.minio)],
        egress: [DNS, to('minio', PORTS.minio)],
      })
    }
    if (props.backups) {
      policy('backup', 'backup', {
        ...pods('backup'),
        policyTypes: ['Egress'],
        // The backup bucket is S3 (HTTPS) anywhere, or whatever extraEgress opens.
        egress: [DNS, database, ...attachments, ...httpsAnywhere(), ...(props.extraEgress ?? [])],
      })
    }
    if (props.ingressNginx) {
      policy('ingress-nginx', 'ingress-nginx', {
        ...pods('ingress-nginx'),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [tcp(8080), tcp(8443)] }],
        // The controller watches the Kubernetes API, whose address differs per cluster.
        egress: [{}],
      })
    }
  }
}

function httpsAnywhere() {
  return [{ ports: [{ port: 443, protocol: 'TCP' }] }]
}
