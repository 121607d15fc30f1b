import type { Clock } from '../runtime/clock.ts'
import type { KubeClient } from './client.ts'
import { type Condition, type ConditionStatus, findCondition, setCondition } from './conditions.ts'
import type { EventRecorder } from './events.ts'
import type { KubeObject } from './objects.ts'
import { applyStatus } from './status.ts'

export type ConditionReport = [
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
]

export interface StatusReport {
  /** Status fields besides the conditions; merged over the current status. */
  fields?: Record<string, unknown>
  conditions: ConditionReport[]
  /** Record changes as Warning Events (otherwise Normal). */
  warning?: boolean
}

/**
 * Writes an object's status (fields and conditions, with observedGeneration) when it
 * differs from the live one, and records an Event for every condition whose status or
 * reason changed — so a reconcile that finds nothing new writes nothing.
 */
export async function reportStatus(
  context: { client: KubeClient; events: EventRecorder; clock: Clock },
  object: KubeObject,
  { fields = {}, conditions: reports, warning = false }: StatusReport,
): Promise<void> {
  const previous = (object.status ?? {}) as { conditions?: Condition[] }
  const generation = object.metadata.generation
  let conditions = previous.conditions ?? []
  const changed: ConditionReport[] = []
  for (const report of reports) {
    const [type, status, reason, message] = report
    const before = findCondition(conditions, type)
    if (before?.status !== status || before.reason !== reason) changed.push(report)
    conditions = setCondition(
      conditions,
      { type, status, reason, message, observedGeneration: generation },
      context.clock.now(),
    )
  }
  const status = { ...previous, ...fields, observedGeneration: generation, conditions }
  if (!(await applyStatus(context.client, object, status))) return
  const distinct = new Map(
    changed.map(([, , reason, message]) => [`${reason}\u0000${message}`, [reason, message]]),
  )
  for (const [reason, message] of distinct.values()) {
    await context.events.record(
      object,
      warning ? 'Warning' : 'Normal',
      reason as string,
      message as string,
    )
  }
}
