// There is no kubelet, scheduler or controller-manager in the test cluster: these helpers
// do, through the status subresource, what those controllers would report.
import { isConflict, type KubeClient } from '../../src/kube/client.ts'
import type { KubeObject, ObjectReference } from '../../src/kube/objects.ts'
import { timestamp } from '../../src/kube/time.ts'
import { eventually } from './kube.ts'

/** Reports a Deployment or StatefulSet as fully rolled out at its desired replica count. */
export async function markRolledOut(client: KubeClient, reference: ObjectReference): Promise<void> {
  const live = await client.get(reference)
  if (!live) throw new Error(`${reference.kind} ${reference.name} does not exist`)
  const replicas = (live.spec as { replicas?: number }).replicas ?? 1
  const status = {
    observedGeneration: live.metadata.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    ...(reference.kind === 'StatefulSet' ? { currentReplicas: replicas } : {}),
  }
  await client.patch(reference, 'merge', { status }, 'status')
}

/**
 * Finishes a Job as the Job controller would: success (Complete, with a pod whose
 * termination message carries `message`) or failure.
 */
export async function finishJob(
  client: KubeClient,
  reference: ObjectReference,
  outcome: { succeeded: true; message?: string } | { succeeded: false; message: string },
): Promise<void> {
  const job = await client.get(reference)
  if (!job) throw new Error(`Job ${reference.name} does not exist`)
  const now = timestamp(new Date())
  const startTime = (job.status as { startTime?: string } | undefined)?.startTime ?? now
  if (outcome.succeeded && outcome.message) await terminatedPod(client, job, outcome.message)
  const conditions = outcome.succeeded
    ? [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
          lastProbeTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Complete',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      ]
    : [
        {
          type: 'FailureTarget',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: outcome.message,
          lastProbeTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: outcome.message,
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      ]
  const status = outcome.succeeded
    ? {
        startTime,
        completionTime: now,
        succeeded: 1,
        active: 0,
        ready: 0,
        terminating: 0,
        conditions,
      }
    : { startTime, failed: 1, active: 0, ready: 0, terminating: 0, conditions }
  await client.patch(reference, 'merge', { status }, 'status')
}

/** A pod of the Job that terminated with `message`, as the kubelet would report it. */
async function terminatedPod(client: KubeClient, job: KubeObject, message: string): Promise<void> {
  const template = (job.spec as { template: { spec: Record<string, unknown> } }).template
  const containers = template.spec.containers as { name: string; image: string }[]
  // The service account controller would have created it.
  const serviceAccount = (template.spec.serviceAccountName as string | undefined) ?? 'default'
  await client
    .create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccount, namespace: job.metadata.namespace },
    })
    .catch((error: unknown) => {
      if (!isConflict(error)) throw error
    })
  const pod = await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${job.metadata.name}-pod`,
      namespace: job.metadata.namespace,
      labels: { 'batch.kubernetes.io/job-name': job.metadata.name },
    },
    spec: template.spec,
  })
  const now = timestamp(new Date())
  await client.patch(
    { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name },
    'merge',
    {
      status: {
        phase: 'Succeeded',
        containerStatuses: containers.map((container) => ({
          name: container.name,
          image: container.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              message,
              startedAt: now,
              finishedAt: now,
            },
          },
        })),
      },
    },
    'status',
  )
}

type Conditioned = KubeObject & {
  status?: { conditions?: { type: string; status: string; reason: string; message: string }[] }
}

/** Waits until the object's condition `type` has `status` (and `reason`, if given). */
export function conditionOf(
  client: KubeClient,
  reference: ObjectReference,
  type: string,
  expected: { status: string; reason?: string },
  timeoutMs = 30_000,
): Promise<Conditioned> {
  return eventually(
    `${reference.kind} ${reference.name} ${type}=${expected.status}${expected.reason ? ` (${expected.reason})` : ''}`,
    async () => {
      const live = (await client.get(reference)) as Conditioned | undefined
      const condition = live?.status?.conditions?.find((entry) => entry.type === type)
      const matches =
        condition?.status === expected.status &&
        (expected.reason === undefined || condition.reason === expected.reason)
      return matches ? live : undefined
    },
    { timeoutMs },
  )
}
