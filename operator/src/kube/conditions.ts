import { timestamp } from './time.ts'

export type ConditionStatus = 'True' | 'False' | 'Unknown'

/** metav1.Condition. */
export interface Condition {
  type: string
  status: ConditionStatus
  reason: string
  message: string
  observedGeneration?: number
  lastTransitionTime: string
}

export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>

/**
 * The condition list with `update` in place of its type. lastTransitionTime moves only
 * when the status changes, so re-reporting the same state writes nothing new.
 */
export function setCondition(
  conditions: readonly Condition[],
  update: ConditionUpdate,
  now: Date,
): Condition[] {
  const previous = conditions.find((condition) => condition.type === update.type)
  const lastTransitionTime =
    previous && previous.status === update.status ? previous.lastTransitionTime : timestamp(now)
  const next: Condition = { ...update, lastTransitionTime }
  return previous
    ? conditions.map((condition) => (condition === previous ? next : condition))
    : [...conditions, next]
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type)
}
