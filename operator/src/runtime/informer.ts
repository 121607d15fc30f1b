import type { KubeConfig } from '@kubernetes/client-node'
// The module itself, not the package's index, which loads its whole generated API.
import { Watch } from '@kubernetes/client-node/dist/watch.js'
import { isNotFound, type KubeClient } from '../kube/client.ts'
import type { KubeObject } from '../kube/objects.ts'
import { resourcePath, resourceType } from '../kube/resources.ts'
import { type BackoffOptions, backoffDelay, sleep } from './backoff.ts'
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

/** One list + watch: a namespace, or every namespace (''). */
interface Stream {
  namespace: string
  /** Where the next watch resumes; empty: list first. */
  resourceVersion: string
  request?: AbortController
}

/**
 * A cache of one kind kept current by list + watch, one stream per watched namespace.
 * A failed stream (API server restarted, RBAC changed, a CRD not installed yet) starts
 * again with exponential backoff, resuming from the last resourceVersion while the server
 * still has it and listing again when it does not (410 Gone). Objects are cached without
 * what the operator never reads (`lean`): the caches are most of its memory that grows
 * with the number of Helpdesks.
 */
export class Informer<T extends KubeObject> {
  readonly kind: string
  readonly #options: InformerOptions
  readonly #watch: Watch
  readonly #streams: Stream[]
  /** namespace -> name -> object */
  readonly #objects = new Map<string, Map<string, T>>()
  readonly #handlers: Handler<T>[] = []
  readonly #stopped = new AbortController()
  readonly #failures = new Map<string, number>()
  readonly #synced = new Set<string>()
  readonly #syncWaiters: Array<() => void> = []

  constructor(options: InformerOptions) {
    this.kind = options.kind
    this.#options = options
    this.#watch = new Watch(options.config)
    this.#streams = (options.namespaces ?? ['']).map((namespace) => ({
      namespace,
      resourceVersion: '',
    }))
  }

  /** Called for every added, changed or deleted object. */
  onChange(handler: Handler<T>): void {
    this.#handlers.push(handler)
  }

  get synced(): boolean {
    return this.#synced.size === this.#streams.length
  }

  /** Starts every stream; retries failures in the background. */
  start(): void {
    for (const stream of this.#streams) void this.#run(stream)
  }

  /** Resolves once every namespace has been listed (or the informer stops). */
  waitForSync(): Promise<void> {
    if (this.synced || this.#stopped.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => this.#syncWaiters.push(resolve))
  }

  async stop(): Promise<void> {
    this.#stopped.abort()
    this.#resolveSyncWaiters()
    for (const stream of this.#streams) stream.request?.abort()
  }

  get(namespace: string, name: string): T | undefined {
    return this.#objects.get(namespace)?.get(name)
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.#objects.get(namespace)?.values() ?? [])]
    return [...this.#objects.values()].flatMap((objects) => [...objects.values()])
  }

  /** Lists when the stream has no position, then watches from there. */
  async #run(stream: Stream): Promise<void> {
    if (this.#stopped.signal.aborted) return
    const failuresBefore = this.#failures.get(stream.namespace) ?? 0
    try {
      if (!stream.resourceVersion) await this.#list(stream)
      if (this.#stopped.signal.aborted) return
      const { labelSelector } = this.#options
      const path = resourcePath(
        resourceType(this.#options.apiVersion, this.kind),
        stream.namespace || undefined,
      )
      stream.request = await this.#watch.watch(
        path,
        { resourceVersion: stream.resourceVersion, labelSelector, allowWatchBookmarks: true },
        (phase, object) => this.#event(stream, phase, object as T),
        (error) => this.#watchEnded(stream, error),
      )
    } catch (error) {
      this.#restartLater(stream, error)
      return
    }
    // The watch reports a failed start through its done callback, not by throwing.
    const failedWhileStarting = (this.#failures.get(stream.namespace) ?? 0) !== failuresBefore
    if (failedWhileStarting || this.#stopped.signal.aborted) return
    this.#failures.delete(stream.namespace)
    this.#synced.add(stream.namespace)
    if (this.synced) this.#resolveSyncWaiters()
  }

  async #list(stream: Stream): Promise<void> {
    const { apiVersion, labelSelector, client } = this.#options
    const list = await client.list<T>(apiVersion, this.kind, {
      namespace: stream.namespace || undefined,
      labelSelector,
    })
    const listed = new Set<string>()
    for (const item of list.items) {
      this.#put(lean(item))
      listed.add(`${item.metadata.namespace ?? ''}/${item.metadata.name}`)
    }
    const scope = stream.namespace ? [stream.namespace] : [...this.#objects.keys()]
    for (const object of scope.flatMap((namespace) => this.list(namespace))) {
      const key = `${object.metadata.namespace ?? ''}/${object.metadata.name}`
      if (!listed.has(key)) this.#remove(object)
    }
    stream.resourceVersion = list.metadata.resourceVersion ?? ''
  }

  #event(stream: Stream, phase: string, object: T): void {
    if (phase === 'ERROR') {
      // The position is lost (410 Gone, mostly): the server closes the watch; list again.
      stream.resourceVersion = ''
      return
    }
    if (phase === 'ADDED' || phase === 'MODIFIED') this.#put(lean(object))
    if (phase === 'DELETED') this.#remove(lean(object))
    stream.resourceVersion = object.metadata.resourceVersion ?? stream.resourceVersion
  }

  /** A watch ended: the server closed it, it was idle too long, or it failed. */
  #watchEnded(stream: Stream, error: unknown): void {
    if (this.#stopped.signal.aborted) return
    const { statusCode, name } = (error ?? {}) as { statusCode?: number; name?: string }
    if (statusCode === 410) stream.resourceVersion = ''
    if (!error || statusCode === 410 || name === 'TimeoutError') void this.#run(stream)
    else this.#restartLater(stream, error)
  }

  #put(object: T): void {
    const { namespace = '', name, resourceVersion } = object.metadata
    let objects = this.#objects.get(namespace)
    if (!objects) {
      objects = new Map()
      this.#objects.set(namespace, objects)
    }
    const cached = objects.get(name)
    if (cached && cached.metadata.resourceVersion === resourceVersion) return
    objects.set(name, object)
    this.#emit(object)
  }

  #remove(object: T): void {
    const { namespace = '', name } = object.metadata
    const objects = this.#objects.get(namespace)
    if (!objects?.delete(name)) return
    if (objects.size === 0) this.#objects.delete(namespace)
    this.#emit(object)
  }

  #restartLater(stream: Stream, error: unknown): void {
    if (this.#stopped.signal.aborted) return
    const { namespace } = stream
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
    void sleep(delayMs, this.#stopped.signal).then(() => this.#run(stream))
  }

  #emit(object: T): void {
    for (const handler of this.#handlers) handler(object)
  }

  #resolveSyncWaiters(): void {
    for (const resolve of this.#syncWaiters.splice(0)) resolve()
  }
}

/** Set by `kubectl apply`: the whole object again, as the user last applied it. */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'

/**
 * An object as the caches keep it: without metadata.managedFields and kubectl's
 * last-applied annotation — often the largest parts of an object, and nothing the operator
 * reads (it compares the fields it wants with the live object, and never these).
 */
export function lean<T extends KubeObject>(object: T): T {
  const { managedFields: _managedFields, ...metadata } = object.metadata
  const annotations = metadata.annotations
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...rest } = annotations
    metadata.annotations = rest
  }
  return { ...object, metadata }
}
