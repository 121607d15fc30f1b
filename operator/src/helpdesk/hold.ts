// Whether a reconcile may apply a Helpdesk's rendered objects: not while it is paused, not
// when it pins another operator version, and — after an operator upgrade — one Helpdesk at
// a time, so that a new operator does not re-render every instance at once.
import type { HelpdeskSpec } from '@helpdesk/cdk8s'
import type { KubeObject } from '../kube/objects.ts'
import type { Clock } from '../runtime/clock.ts'

export interface Hold {
  /** Condition reason: Paused, OperatorVersionPinned, UpgradeQueued. */
  reason: string
  message: string
  /** When to look again (a queued upgrade); undefined: at the next change. */
  retryAfterMs?: number
}

/**
 * Lets one Helpdesk that another operator version last applied move to this version per
 * interval. Shared by the reconciles of one leadership term; a new term (a restart, a new
 * leader) starts with a free slot.
 */
export class UpgradeGate {
  readonly #intervalMs: number
  readonly #clock: Clock
  #last: { at: number; holder: string } | undefined

  constructor(intervalMs: number, clock: Clock) {
    this.#intervalMs = intervalMs
    this.#clock = clock
  }

  /**
   * 0 when `holder` may upgrade now, else the ms to wait. The slot is the holder's until the
   * next one is taken: a reconcile that took it and then failed (an apply or status conflict)
   * retries with it, instead of queueing behind its own upgrade.
   */
  acquire(holder: string): number {
    if (this.#last?.holder === holder) return 0
    const now = this.#clock.now().getTime()
    const wait = this.#last === undefined ? 0 : this.#last.at + this.#intervalMs - now
    if (wait > 0) return wait
    this.#last = { at: now, holder }
    return 0
  }
}

interface HelpdeskStatusView {
  operatorVersion?: string
  observedGeneration?: number
}

/** Why this reconcile must leave the rendered objects as they are, if it must. */
export function holdOf(
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  operatorVersion: string,
  upgrades: UpgradeGate,
): Hold | undefined {
  if (spec.paused) {
    return {
      reason: 'Paused',
      message:
        'spec.paused: the operator leaves the objects as they are (status, certificates and backups continue)',
    }
  }
  if (spec.operatorVersion !== undefined && spec.operatorVersion !== operatorVersion) {
    return {
      reason: 'OperatorVersionPinned',
      message: `spec.operatorVersion pins operator ${spec.operatorVersion}; this operator is ${operatorVersion} and leaves the objects as they are`,
    }
  }
  const status = (helpdesk.status ?? {}) as HelpdeskStatusView
  const lastApplied = status.operatorVersion
  const upgrade = lastApplied !== undefined && lastApplied !== operatorVersion
  // A spec edit is the user's request: it applies at once, with this version.
  const edited = helpdesk.metadata.generation !== status.observedGeneration
  if (!upgrade || edited) return undefined
  const wait = upgrades.acquire(`${helpdesk.metadata.namespace}/${helpdesk.metadata.name}`)
  if (wait === 0) return undefined
  return {
    reason: 'UpgradeQueued',
    message: `operator ${lastApplied} applied the objects last; this operator (${operatorVersion}) re-renders Helpdesks one at a time`,
    retryAfterMs: wait,
  }
}
