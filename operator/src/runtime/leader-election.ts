import { isConflict, isNotFound, type KubeClient } from '../kube/client.ts'
import type { KubeObject } from '../kube/objects.ts'
import { microTime } from '../kube/time.ts'
import { sleep } from './backoff.ts'
import type { Clock } from './clock.ts'
import type { Logger } from './logger.ts'

export interface LeaderElectionOptions {
  client: KubeClient
  namespace: string
  name: string
  identity: string
  /** How long a Lease stays valid without renewal. */
  leaseDurationMs: number
  /** A leader that cannot renew for this long steps down (before others may take over). */
  renewDeadlineMs: number
  /** How often candidates try to acquire and the leader renews. */
  retryPeriodMs: number
  clock: Clock
  logger: Logger
  onStartedLeading: () => void
  onStoppedLeading: () => void
}

/** Which Lease, who competes for it, and its timings: the operator's configuration. */
export type LeaseSettings = Pick<
  LeaderElectionOptions,
  'namespace' | 'name' | 'identity' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'
>

interface LeaseSpec {
  holderIdentity?: string | null
  leaseDurationSeconds?: number
  acquireTime?: string
  renewTime?: string
  leaseTransitions?: number
}

interface Lease extends KubeObject {
  spec?: LeaseSpec
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: a candidate
 * takes the Lease when its holder has not renewed it for a lease duration (measured on the
 * candidate's own clock since it last saw the record change, so clock skew between nodes
 * does not matter); updates carry the resourceVersion, so two candidates never both win.
 */
export class LeaderElector {
  readonly #options: LeaderElectionOptions
  readonly #stop = new AbortController()
  #leading = false
  #observed: { record: string; at: number; durationMs: number } | undefined
  #loop: Promise<void> | undefined

  constructor(options: LeaderElectionOptions) {
    this.#options = options
  }

  get leading(): boolean {
    return this.#leading
  }

  start(): void {
    this.#loop = this.#run()
  }

  /** Stops campaigning; a leader gives the Lease up so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#stop.abort()
    await this.#loop
    if (this.#leading) {
      await this.#release()
      this.#stepDown()
    }
  }

  async #run(): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, clock, logger } = this.#options
    let lastRenewal = clock.now().getTime()
    while (!this.#stop.signal.aborted) {
      try {
        if (await this.#tryAcquireOrRenew()) {
          lastRenewal = clock.now().getTime()
          if (!this.#leading) this.#startLeading()
        }
      } catch (error) {
        logger.warn(
          { err: error, lease: this.#options.name },
          'leader election: lease update failed',
        )
      }
      if (this.#leading && clock.now().getTime() - lastRenewal > renewDeadlineMs) {
        logger.error(
          { lease: this.#options.name },
          'leader election: could not renew the lease in time',
        )
        this.#stepDown()
      }
      await sleep(retryPeriodMs, this.#stop.signal)
    }
  }

  #startLeading(): void {
    this.#leading = true
    this.#options.logger.info({ identity: this.#options.identity }, 'became the leader')
    this.#options.onStartedLeading()
  }

  #stepDown(): void {
    if (!this.#leading) return
    this.#leading = false
    this.#options.logger.warn({ identity: this.#options.identity }, 'stopped leading')
    this.#options.onStoppedLeading()
  }

  /** True when this instance holds the Lease after the attempt. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity, clock } = this.#options
    const now = clock.now()
    const lease = await client.get<Lease>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace,
      name,
    })
    if (!lease) return this.#create(now)
    const spec = lease.spec ?? {}
    this.#observe(spec, now)
    const heldByOther = Boolean(spec.holderIdentity) && spec.holderIdentity !== identity
    if (heldByOther && !this.#expired(now)) return false
    const transitions = (spec.leaseTransitions ?? 0) + (spec.holderIdentity === identity ? 0 : 1)
    try {
      await client.replace<Lease>({
        ...lease,
        spec: {
          ...this.#leaseSpec(now),
          acquireTime: spec.holderIdentity === identity ? spec.acquireTime : microTime(now),
          leaseTransitions: transitions,
        },
      })
      return true
    } catch (error) {
      if (isConflict(error)) return false
      throw error
    }
  }

  async #create(now: Date): Promise<boolean> {
    const { client, namespace, name } = this.#options
    try {
      await client.create<Lease>({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { ...this.#leaseSpec(now), acquireTime: microTime(now), leaseTransitions: 0 },
      })
      return true
    } catch (error) {
      if (isConflict(error)) return false
      throw error
    }
  }

  async #release(): Promise<void> {
    const { client, namespace, name, identity, logger } = this.#options
    try {
      const lease = await client.get<Lease>({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        namespace,
        name,
      })
      if (lease?.spec?.holderIdentity !== identity) return
      // An empty holder with a one-second duration lets a standby acquire at once.
      await client.replace<Lease>({
        ...lease,
        spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1 },
      })
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) {
        logger.warn({ err: error }, 'leader election: could not release the lease')
      }
    }
  }

  #leaseSpec(now: Date): LeaseSpec {
    return {
      holderIdentity: this.#options.identity,
      leaseDurationSeconds: Math.ceil(this.#options.leaseDurationMs / 1000),
      renewTime: microTime(now),
    }
  }

  #observe(spec: LeaseSpec, now: Date): void {
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds])
    if (this.#observed?.record === record) return
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000
    this.#observed = { record, at: now.getTime(), durationMs }
  }

  #expired(now: Date): boolean {
    const observed = this.#observed
    return !observed || now.getTime() > observed.at + observed.durationMs
  }
}
