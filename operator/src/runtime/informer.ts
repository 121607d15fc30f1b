import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node'
import { isNotFound, type KubeClient } from '../kube/client.ts'
import type { KubeObject } from '../kube/objects.ts'
import { resourcePath, resourceType } from '../kube/resources.ts'
import { type BackoffOptions, backoffDelay, sleep } from './backoff.ts'
import { leanObject } from './lean-objects.ts'
import type { Logger } from './logger.ts'
import type { OperatorMetrics } from './metrics.ts'

export interface InformerOptions {
  apiVersion: string
  kind: string
  /** Namespaces to watch; undefined watches all. */
  namespaces: readonly string[] | undefined
  labelSelector?: string
  /**
   * The kind exists only when a CRD is installed: while the API server answers 404 the
   * informer keeps retrying quietly, and picks the kind up once the CRD appears.
   */
  optional?: boolean
  config: KubeConfig
  client: KubeClient
  metrics: OperatorMetrics
  logger: Logger
  backoff: BackoffOptions
}

type Handler<T> = (object: T) => void

/**
 * A cache of one kind kept current by list + watch (client-node's ListWatch), one per
 * watched namespace. client-node's informer stops for good on an error (API server
 * restarted, RBAC changed, a CRD not installed yet); this one starts it again with
 * exponential backoff, resuming from the last resourceVersion when the server still has it.
 */
export class Informer<T extends KubeObject> {
  readonly kind: string
  readonly #options: InformerOptions
  readonly #watches = new Map<string, ListWatch<KubernetesObject>>()
  readonly #handlers: Handler<T>[] = []
  readonly #stopped = new AbortController()
  readonly #failures = new Map<string, number>()
  readonly #synced = new Set<string>()
  readonly #syncWaiters: Array<() => void> = []

  constructor(options: InformerOptions) {
    this.kind = options.kind
    this.#options = options
    const type = resourceType(options.apiVersion, options.kind)
    for (const namespace of options.namespaces ?? ['']) {
      const watch = new ListWatch<KubernetesObject>(
        resourcePath(type, namespace || undefined),
        new LeanWatch(options.config),
        () => this.#list(namespace),
        false,
        options.labelSelector,
      )
      for (const verb of ['add', 'update', 'delete'] as const) {
        watch.on(verb, (object) => this.#emit(object as unknown as T))
      }
      watch.on('error', (error) => this.#restartLater(namespace, error))
      this.#watches.set(namespace, watch as ListWatch<KubernetesObject>)
    }
  }

  /** Called for every added, changed or deleted object. */
  onChange(handler: Handler<T>): void {
    this.#handlers.push(handler)
  }

  get synced(): boolean {
    return this.#synced.size === this.#watches.size
  }

  /** Starts every watch; retries failures in the background. */
  start(): void {
    for (const namespace of this.#watches.keys()) void this.#startWatch(namespace)
  }

  /** Resolves once every namespace has been listed (or the informer stops). */
  waitForSync(): Promise<void> {
    if (this.synced || this.#stopped.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => this.#syncWaiters.push(resolve))
  }

  async stop(): Promise<void> {
    this.#stopped.abort()
    this.#resolveSyncWaiters()
    await Promise.all([...this.#watches.values()].map((watch) => watch.stop()))
  }

  get(namespace: string, name: string): T | undefined {
    const watch = this.#watches.get(namespace) ?? this.#watches.get('')
    return watch?.get(name, namespace) as T | undefined
  }

  list(namespace?: string): T[] {
    if (namespace === undefined) {
      return [...this.#watches.values()].flatMap((watch) => watch.list() as unknown as T[])
    }
    const watch = this.#watches.get(namespace) ?? this.#watches.get('')
    return (watch?.list(namespace) ?? []) as unknown as T[]
  }

  async #list(namespace: string): Promise<KubernetesListObject<KubernetesObject>> {
    const { apiVersion, kind, labelSelector, client } = this.#options
    const list = await client.list(apiVersion, kind, {
      namespace: namespace || undefined,
      labelSelector,
    })
    list.items = list.items.map((item) => leanObject(item))
    return list as unknown as KubernetesListObject<KubernetesObject>
  }

  async #startWatch(namespace: string): Promise<void> {
    const watch = this.#watches.get(namespace)
    if (!watch || this.#stopped.signal.aborted) return
    const failuresBefore = this.#failures.get(namespace) ?? 0
    await watch.start()
    const failedWhileStarting = (this.#failures.get(namespace) ?? 0) !== failuresBefore
    if (failedWhileStarting || this.#stopped.signal.aborted) return
    this.#failures.delete(namespace)
    this.#synced.add(namespace)
    if (this.synced) this.#resolveSyncWaiters()
  }

  #restartLater(namespace: string, error: unknown): void {
    if (this.#stopped.signal.aborted) return
    const failures = (this.#failures.get(namespace) ?? 0) + 1
    this.#failures.set(namespace, failures)
    const delayMs = backoffDelay(failures, this.#options.backoff)
    this.#options.metrics.informerRestarts.inc({ resource: this.kind })
    // Lists fail with our ApiError, watches with client-node's error carrying statusCode.
    const notFound = isNotFound(error) || (error as { statusCode?: number }).statusCode === 404
    const notServed = this.#options.optional && notFound
    const log = notServed ? this.#options.logger.debug : this.#options.logger.warn
    log.call(
      this.#options.logger,
      { err: error, kind: this.kind, namespace: namespace || '*', failures, retryInMs: delayMs },
      notServed ? 'kind not served (CRD not installed); retrying' : 'watch failed; restarting',
    )
    void sleep(delayMs, this.#stopped.signal).then(() => this.#startWatch(namespace))
  }

  #emit(object: T): void {
    for (const handler of this.#handlers) handler(object)
  }

  #resolveSyncWaiters(): void {
    for (const resolve of this.#syncWaiters.splice(0)) resolve()
  }
}

/** client-node's Watch, handing objects on as the caches keep them (`leanObject`). */
class LeanWatch extends Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: KubernetesObject, watchObj?: unknown) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, object, event) => callback(phase, leanObject(object), event),
      done,
    )
  }
}
