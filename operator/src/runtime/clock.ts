/**
 * The operator's notion of "now". Certificate renewal and backup schedules read time only
 * through a Clock, so tests can move time forward without waiting.
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
