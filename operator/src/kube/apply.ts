import type { Logger } from '../runtime/logger.ts'
import type { KubeClient } from './client.ts'
import { describe, type KubeObject, type ObjectReference, referenceTo } from './objects.ts'
import { canonicalJson, firstDifference, sha256Hex } from './semantic.ts'

/**
 * Carries a hash of what the operator last applied. The subset comparison cannot see a
 * field the operator stopped wanting (it is no longer in the desired object); the hash can,
 * and then an apply removes the field.
 */
export const DESIRED_HASH_ANNOTATION = 'helpdesk.dev/desired-hash'

/** Where the applier looks for the live object before asking the API server. */
export interface LiveObjects {
  /**
   * The cached object; null when the cache knows there is none; undefined when the kind is
   * not cached (or the cache is not synced yet).
   */
  cached(reference: ObjectReference): KubeObject | null | undefined
}

export interface ApplyOutcome {
  object: KubeObject
  /** False when the live object already matched and nothing was sent. */
  changed: boolean
}

/**
 * Server-side apply that skips the request when the live object already holds everything
 * desired: a reconcile with nothing to change makes no mutating call at all.
 */
export class Applier {
  readonly #client: KubeClient
  readonly #live: LiveObjects
  readonly #logger: Logger

  constructor(client: KubeClient, live: LiveObjects, logger: Logger) {
    this.#client = client
    this.#live = live
    this.#logger = logger
  }

  async apply(desired: KubeObject): Promise<ApplyOutcome> {
    const stamped = withDesiredHash(desired)
    const live = await this.#current(desired)
    const difference = live ? firstDifference(stamped, live) : '(new object)'
    if (difference === undefined && live) return { object: live, changed: false }
    this.#logger.debug({ object: describe(desired), difference }, 'applying')
    return { object: await this.#client.apply(stamped), changed: true }
  }

  /** Creates the object when it does not exist; leaves an existing one exactly as it is. */
  async createIfMissing(desired: KubeObject): Promise<ApplyOutcome> {
    const live = await this.#current(desired)
    if (live) return { object: live, changed: false }
    return { object: await this.#client.apply(desired), changed: true }
  }

  async #current(desired: KubeObject): Promise<KubeObject | null | undefined> {
    const reference = referenceTo(desired)
    const cached = this.#live.cached(reference)
    return cached === undefined ? await this.#client.get(reference) : cached
  }
}

export function withDesiredHash(desired: KubeObject): KubeObject {
  const hash = sha256Hex(canonicalJson(desired)).slice(0, 32)
  const annotations = { ...desired.metadata.annotations, [DESIRED_HASH_ANNOTATION]: hash }
  return { ...desired, metadata: { ...desired.metadata, annotations } }
}
