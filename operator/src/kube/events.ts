import { randomBytes } from 'node:crypto'
import type { Clock } from '../runtime/clock.ts'
import type { Logger } from '../runtime/logger.ts'
import type { KubeClient } from './client.ts'
import type { KubeObject } from './objects.ts'
import { timestamp } from './time.ts'

export type EventType = 'Normal' | 'Warning'

/** Repeats of one event within this window raise its count instead of adding an Event. */
const AGGREGATION_WINDOW_MS = 10 * 60_000

interface Recorded {
  namespace: string
  name: string
  count: number
  at: number
}

/**
 * Kubernetes Events (core/v1, what `kubectl describe` shows) for the operator's actions and
 * failures. A repeated event (same object, type, reason and message) is counted on the
 * existing Event, as client-go's correlator does. Recording never fails a reconcile: an
 * Event that cannot be written is logged instead.
 */
export class EventRecorder {
  readonly #client: KubeClient
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #instance: string
  readonly #recent = new Map<string, Recorded>()

  constructor(client: KubeClient, clock: Clock, logger: Logger, instance: string) {
    this.#client = client
    this.#clock = clock
    this.#logger = logger
    this.#instance = instance
  }

  async record(object: KubeObject, type: EventType, reason: string, message: string) {
    const now = this.#clock.now()
    this.#forgetOlderThan(now.getTime() - AGGREGATION_WINDOW_MS)
    const key = [object.metadata.uid, type, reason, message].join('\u0000')
    const log = type === 'Warning' ? this.#logger.warn : this.#logger.info
    log.call(this.#logger, { object: `${object.kind}/${object.metadata.name}`, reason }, message)
    try {
      const repeated = this.#recent.get(key)
      if (repeated) {
        repeated.count += 1
        repeated.at = now.getTime()
        await this.#client.patch(
          { apiVersion: 'v1', kind: 'Event', namespace: repeated.namespace, name: repeated.name },
          'merge',
          { count: repeated.count, lastTimestamp: timestamp(now) },
        )
        return
      }
      const created = await this.#client.create(this.#event(object, type, reason, message, now))
      const { namespace = '', name } = created.metadata
      this.#recent.set(key, { namespace, name, count: 1, at: now.getTime() })
    } catch (error) {
      this.#logger.warn({ err: error, reason }, 'could not record an Event')
    }
  }

  #event(object: KubeObject, type: EventType, reason: string, message: string, now: Date) {
    const { name, namespace, uid, resourceVersion } = object.metadata
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name,
        namespace,
        uid,
        resourceVersion,
      },
      type,
      reason,
      // The API server refuses Event messages over 1 kB.
      message: message.slice(0, 1024),
      source: { component: 'helpdesk-operator' },
      reportingComponent: 'helpdesk.dev/operator',
      reportingInstance: this.#instance,
      firstTimestamp: timestamp(now),
      lastTimestamp: timestamp(now),
      count: 1,
    }
  }

  #forgetOlderThan(cutoff: number): void {
    for (const [key, recorded] of this.#recent) {
      if (recorded.at < cutoff) this.#recent.delete(key)
    }
  }
}
