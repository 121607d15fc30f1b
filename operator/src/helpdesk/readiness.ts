import { jobOutcome } from '../jobs/outcome.ts'
import type { LiveObjects } from '../kube/apply.ts'
import { describe, type KubeObject, referenceTo } from '../kube/objects.ts'

export interface Rollout {
  /** Every Deployment and StatefulSet runs the desired generation with all replicas available. */
  complete: boolean
  /** What is still rolling out, e.g. "Deployment acme-api: 1 of 2 replicas available". */
  waiting: string[]
  /** Rollouts that gave up and Jobs that failed. */
  failures: string[]
}

interface WorkloadStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  availableReplicas?: number
  readyReplicas?: number
  currentRevision?: string
  updateRevision?: string
  conditions?: { type: string; status: string; reason?: string; message?: string }[]
}

const statusOf = (object: KubeObject) => (object.status ?? {}) as WorkloadStatus
const specReplicas = (object: KubeObject) =>
  ((object.spec as { replicas?: number } | undefined)?.replicas ?? 1) as number

/** How far the desired workloads have rolled out, judged from their live status. */
export function rolloutOf(desired: readonly KubeObject[], live: LiveObjects): Rollout {
  const rollout: Rollout = { complete: true, waiting: [], failures: [] }
  for (const object of desired) {
    if (!['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) continue
    const current = live.cached(referenceTo(object))
    if (!current) {
      if (object.kind !== 'Job') {
        rollout.complete = false
        rollout.waiting.push(`${describe(object)}: not created yet`)
      }
      continue
    }
    const failure = failureOf(current)
    if (failure) rollout.failures.push(`${describe(current)}: ${failure}`)
    const waiting = object.kind === 'Job' ? undefined : waitingOn(current)
    if (waiting) {
      rollout.complete = false
      rollout.waiting.push(`${describe(current)}: ${waiting}`)
    }
  }
  if (rollout.failures.length > 0) rollout.complete = false
  return rollout
}

/** Why a Deployment or StatefulSet is not rolled out yet, or undefined when it is. */
export function waitingOn(workload: KubeObject): string | undefined {
  const status = statusOf(workload)
  const wanted = specReplicas(workload)
  if ((status.observedGeneration ?? 0) < (workload.metadata.generation ?? 0)) {
    return 'the new specification is not observed yet'
  }
  if ((status.updatedReplicas ?? 0) < wanted) {
    return `${status.updatedReplicas ?? 0} of ${wanted} replicas updated`
  }
  const available =
    workload.kind === 'StatefulSet' ? (status.readyReplicas ?? 0) : (status.availableReplicas ?? 0)
  if (available < wanted) return `${available} of ${wanted} replicas available`
  if ((status.replicas ?? 0) > wanted) return `${status.replicas} replicas, ${wanted} wanted`
  return undefined
}

function failureOf(object: KubeObject): string | undefined {
  if (object.kind === 'Job') {
    const outcome = jobOutcome(object)
    return outcome.state === 'failed' ? `failed: ${outcome.message}` : undefined
  }
  const conditions = statusOf(object).conditions ?? []
  const stalled = conditions.find(
    (condition) =>
      condition.type === 'Progressing' && condition.reason === 'ProgressDeadlineExceeded',
  )
  return stalled ? `rollout stalled: ${stalled.message ?? 'progress deadline exceeded'}` : undefined
}
