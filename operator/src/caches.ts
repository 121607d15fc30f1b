import { HELPDESK_API_VERSION, OPERATOR_MANAGER } from '@helpdesk/cdk8s'
import type { KubeConfig } from '@kubernetes/client-node'
import type { LiveObjects } from './kube/apply.ts'
import type { KubeClient } from './kube/client.ts'
import { isControlledBy, type KubeObject, type ObjectReference } from './kube/objects.ts'
import type { BackoffOptions } from './runtime/backoff.ts'
import { Informer } from './runtime/informer.ts'
import type { Logger } from './runtime/logger.ts'
import type { OperatorMetrics } from './runtime/metrics.ts'

/** The label on everything the operator creates: its caches watch only such objects. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const INSTANCE_LABEL = 'app.kubernetes.io/instance'

interface OwnedKind {
  apiVersion: string
  kind: string
  /** Served only when a CRD is installed (Gateway API, cert-manager, prometheus-operator). */
  optional?: boolean
}

/** Every kind the operator creates for a Helpdesk and its backups and restores. */
export const OWNED_KINDS: readonly OwnedKind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', optional: true },
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', optional: true },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', optional: true },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', optional: true },
]

const kindKey = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`

export interface CacheOptions {
  config: KubeConfig
  client: KubeClient
  metrics: OperatorMetrics
  logger: Logger
  /** undefined: every namespace. */
  namespaces: readonly string[] | undefined
  backoff: BackoffOptions
}

/**
 * The operator's view of the cluster: the three custom resources, and everything it
 * created (selected by the managed-by label). Reconcilers read from here, so a reconcile
 * with nothing to do reads nothing from the API server either.
 */
export class Caches implements LiveObjects {
  readonly helpdesks: Informer<KubeObject>
  readonly backups: Informer<KubeObject>
  readonly restores: Informer<KubeObject>
  readonly #owned = new Map<string, { informer: Informer<KubeObject>; optional: boolean }>()

  constructor(options: CacheOptions) {
    const informer = (apiVersion: string, kind: string) =>
      new Informer<KubeObject>({ ...options, apiVersion, kind })
    this.helpdesks = informer(HELPDESK_API_VERSION, 'Helpdesk')
    this.backups = informer(HELPDESK_API_VERSION, 'HelpdeskBackup')
    this.restores = informer(HELPDESK_API_VERSION, 'HelpdeskRestore')
    for (const { apiVersion, kind, optional = false } of OWNED_KINDS) {
      const owned = new Informer<KubeObject>({
        ...options,
        apiVersion,
        kind,
        labelSelector: `${MANAGED_BY_LABEL}=${OPERATOR_MANAGER}`,
        optional,
      })
      this.#owned.set(kindKey(apiVersion, kind), { informer: owned, optional })
    }
  }

  get #all(): Informer<KubeObject>[] {
    return [this.helpdesks, this.backups, this.restores, ...this.ownedInformers()]
  }

  /** The informers of the kinds the API server must serve (optional CRDs excluded). */
  get #required(): Informer<KubeObject>[] {
    const required = [...this.#owned.values()].filter(({ optional }) => !optional)
    return [
      this.helpdesks,
      this.backups,
      this.restores,
      ...required.map(({ informer }) => informer),
    ]
  }

  ownedInformers(): Informer<KubeObject>[] {
    return [...this.#owned.values()].map(({ informer }) => informer)
  }

  get synced(): boolean {
    return this.#required.every((informer) => informer.synced)
  }

  start(): void {
    for (const informer of this.#all) informer.start()
  }

  /** Waits for the required kinds; optional ones fill in whenever their CRD appears. */
  async waitForSync(): Promise<void> {
    await Promise.all(this.#required.map((informer) => informer.waitForSync()))
  }

  async stop(): Promise<void> {
    await Promise.all(this.#all.map((informer) => informer.stop()))
  }

  cached(reference: ObjectReference): KubeObject | null | undefined {
    const entry = this.#owned.get(kindKey(reference.apiVersion, reference.kind))
    if (!entry?.informer.synced) return undefined
    return entry.informer.get(reference.namespace ?? '', reference.name) ?? null
  }

  /** Every cached object whose controller is `owner`. */
  controlledBy(owner: KubeObject): KubeObject[] {
    const namespace = owner.metadata.namespace ?? ''
    return this.ownedInformers().flatMap((informer) =>
      informer.list(namespace).filter((object) => isControlledBy(object, owner)),
    )
  }
}
