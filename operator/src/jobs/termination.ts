import { z } from 'zod'
import type { OperatorContext } from '../context.ts'
import type { KubeObject } from '../kube/objects.ts'

/** CONTRIBUTING.md "Backup engine": what `helpdesk backup` writes to BACKUP_RESULT_FILE. */
export const backupResultSchema = z.object({
  id: z.string(),
  tier: z.enum(['daily', 'monthly', 'manual']),
  completedAt: z.iso.datetime({ offset: true }),
  key: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string(),
})
export type BackupResult = z.infer<typeof backupResultSchema>

interface PodStatus {
  containerStatuses?: { state?: { terminated?: { exitCode?: number; message?: string } } }[]
}

/**
 * The termination message of the Job's successful pod (the kubelet copies the container's
 * /dev/termination-log there), or undefined when there is none. Read once per finished
 * Job: pods are not cached.
 */
export async function terminationMessage(
  context: Pick<OperatorContext, 'client'>,
  job: KubeObject,
): Promise<string | undefined> {
  const pods = await context.client.list('v1', 'Pod', {
    namespace: job.metadata.namespace,
    labelSelector: `batch.kubernetes.io/job-name=${job.metadata.name}`,
  })
  for (const pod of pods.items) {
    for (const container of (pod.status as PodStatus | undefined)?.containerStatuses ?? []) {
      const terminated = container.state?.terminated
      if (terminated?.exitCode === 0 && terminated.message) return terminated.message
    }
  }
  return undefined
}

/** The backup engine's result line, or undefined when the message is missing or not one. */
export function parseBackupResult(message: string | undefined): BackupResult | undefined {
  if (!message) return undefined
  try {
    const parsed = backupResultSchema.safeParse(JSON.parse(message.trim()))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
