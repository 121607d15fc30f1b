import { HELPDESK_VERSION } from '@helpdesk/cdk8s'
import type { KubeConfig } from '@kubernetes/client-node'
import { Caches } from './caches.ts'
import type { OperatorContext } from './context.ts'
import { createControllers } from './controllers.ts'
import { UpgradeGate } from './helpdesk/hold.ts'
import { Applier } from './kube/apply.ts'
import { KubeClient } from './kube/client.ts'
import { EventRecorder } from './kube/events.ts'
import type { BackoffOptions } from './runtime/backoff.ts'
import { type Clock, systemClock } from './runtime/clock.ts'
import type { Controller } from './runtime/controller.ts'
import type { Health } from './runtime/http-server.ts'
import { LeaderElector, type LeaseSettings } from './runtime/leader-election.ts'
import type { Logger } from './runtime/logger.ts'
import { OperatorMetrics } from './runtime/metrics.ts'

export interface OperatorOptions {
  kubeConfig: KubeConfig
  /** Namespaces to watch; empty watches all. */
  watchNamespaces: readonly string[]
  leaderElection: LeaseSettings
  /** Reconciles in flight per controller. */
  concurrency: number
  resyncIntervalMs: number
  logger: Logger
  clock?: Clock
  /** Retry timing of failed reconciles and failed watches. */
  backoff?: { reconcile: BackoffOptions; informer: BackoffOptions }
  /** After an operator upgrade, one Helpdesk is re-rendered per interval. @default 60 s */
  upgradeIntervalMs?: number
  /** This operator's version (status.operatorVersion). @default the product version */
  version?: string
}

const DEFAULT_BACKOFF = {
  reconcile: { baseMs: 500, maxMs: 5 * 60_000 },
  informer: { baseMs: 1_000, maxMs: 60_000 },
}

/** Caches, controllers and timers of one leadership term. */
interface Term {
  caches: Caches
  controllers: Controller[]
  context: OperatorContext
  enqueueAll: () => void
  resyncTimer?: NodeJS.Timeout
}

/**
 * The Helpdesk operator: campaigns for leadership and, while it leads, keeps caches of
 * the watched objects and reconciles Helpdesk, HelpdeskBackup and HelpdeskRestore. A lost
 * lease stops every controller (in-flight reconciles finish) until the lease is won again.
 */
export class Operator {
  readonly metrics = new OperatorMetrics()
  /** The client of the reconcilers; caches and leader election have their own. */
  readonly client: KubeClient
  readonly #cacheClient: KubeClient
  readonly #leaseClient: KubeClient
  readonly #options: OperatorOptions
  readonly #elector: LeaderElector
  readonly #clock: Clock
  #term: Term | undefined
  #ending: Promise<void> = Promise.resolve()
  #stopping = false

  constructor(options: OperatorOptions) {
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.client = new KubeClient(options.kubeConfig, this.metrics, 'reconcilers')
    this.#cacheClient = new KubeClient(options.kubeConfig, this.metrics, 'caches')
    this.#leaseClient = new KubeClient(options.kubeConfig, this.metrics, 'leader-election')
    this.#elector = new LeaderElector({
      ...options.leaderElection,
      client: this.#leaseClient,
      clock: systemClock,
      logger: options.logger,
      onStartedLeading: () => void this.#startTerm(),
      onStoppedLeading: () => void this.#endTerm(),
    })
  }

  get leading(): boolean {
    return this.#elector.leading
  }

  /** The context of the current leadership term, once caches are synced. */
  get context(): OperatorContext | undefined {
    return this.#term?.context
  }

  start(): void {
    this.#elector.start()
  }

  /** Stops reconciling, lets in-flight reconciles finish and gives up the lease. */
  async stop(): Promise<void> {
    this.#stopping = true
    await this.#elector.stop()
    await this.#endTerm()
    for (const client of [this.client, this.#cacheClient, this.#leaseClient]) client.close()
  }

  health(): Health {
    return {
      healthy: !this.#stopping,
      leader: this.leading,
      cachesSynced: this.#term?.caches.synced ?? false,
    }
  }

  /**
   * Ready to count as a replica: not shutting down, and either standing by or leading with
   * synced caches (a leader still listing would not act on a change yet).
   */
  ready(): boolean {
    const synced = this.#term?.caches.synced ?? false
    return !this.#stopping && (!this.leading || synced)
  }

  /** Queues every Helpdesk, HelpdeskBackup and HelpdeskRestore again. */
  resync(): void {
    this.#term?.enqueueAll()
  }

  async #startTerm(): Promise<void> {
    // A new term never overlaps the end of the previous one.
    await this.#ending
    if (this.#term || this.#stopping || !this.leading) return
    const { logger, watchNamespaces } = this.#options
    const backoff = this.#options.backoff ?? DEFAULT_BACKOFF
    this.metrics.leader.set(1)
    const caches = new Caches({
      config: this.#options.kubeConfig,
      client: this.#cacheClient,
      metrics: this.metrics,
      logger,
      namespaces: watchNamespaces.length > 0 ? watchNamespaces : undefined,
      backoff: backoff.informer,
    })
    const context: OperatorContext = {
      client: this.client,
      applier: new Applier(this.client, caches, logger),
      events: new EventRecorder(
        this.client,
        this.#clock,
        logger,
        this.#options.leaderElection.identity,
      ),
      clock: this.#clock,
      logger,
      caches,
      metrics: this.metrics,
      operatorVersion: this.#options.version ?? HELPDESK_VERSION,
      upgrades: new UpgradeGate(this.#options.upgradeIntervalMs ?? 60_000, this.#clock),
    }
    const { controllers, enqueueAll } = createControllers(context, {
      concurrency: this.#options.concurrency,
      backoff: backoff.reconcile,
      metrics: this.metrics,
      logger,
    })
    const term: Term = { caches, controllers, context, enqueueAll }
    this.#term = term
    caches.start()
    await caches.waitForSync()
    // The term may have ended (lease lost, stop) while the caches were syncing.
    if (this.#term !== term) return
    for (const controller of controllers) controller.start()
    enqueueAll()
    term.resyncTimer = setInterval(enqueueAll, this.#options.resyncIntervalMs)
    term.resyncTimer.unref()
    logger.info({ namespaces: watchNamespaces }, 'caches synced; reconciling')
  }

  #endTerm(): Promise<void> {
    const term = this.#term
    this.#term = undefined
    this.metrics.leader.set(0)
    if (term) this.#ending = this.#ending.then(() => stopTerm(term))
    return this.#ending
  }
}

async function stopTerm(term: Term): Promise<void> {
  clearInterval(term.resyncTimer)
  await Promise.all(term.controllers.map((controller) => controller.stop()))
  await term.caches.stop()
}
