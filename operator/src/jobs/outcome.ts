import type { KubeObject } from '../kube/objects.ts'

export type JobOutcome =
  | { state: 'running'; startedAt?: string }
  | { state: 'succeeded'; startedAt?: string; completedAt: string }
  | { state: 'failed'; startedAt?: string; failedAt: string; reason: string; message: string }

interface JobStatus {
  startTime?: string
  completionTime?: string
  conditions?: {
    type: string
    status: string
    reason?: string
    message?: string
    lastTransitionTime?: string
  }[]
}

/** Where a Job stands, from the conditions the Job controller sets when it finishes. */
export function jobOutcome(job: KubeObject): JobOutcome {
  const status = (job.status ?? {}) as JobStatus
  const condition = (type: string) =>
    status.conditions?.find((entry) => entry.type === type && entry.status === 'True')
  const startedAt = status.startTime
  const complete = condition('Complete')
  if (complete) {
    return {
      state: 'succeeded',
      startedAt,
      completedAt: status.completionTime ?? complete.lastTransitionTime ?? '',
    }
  }
  const failed = condition('Failed')
  if (failed) {
    return {
      state: 'failed',
      startedAt,
      failedAt: failed.lastTransitionTime ?? '',
      reason: failed.reason ?? 'Failed',
      message: failed.message ?? 'the Job failed',
    }
  }
  return { state: 'running', startedAt }
}
