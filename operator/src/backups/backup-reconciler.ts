import { planRetention } from '@helpdesk/backup/retention'
import { type HelpdeskBackupStatus, type HelpdeskSpec, helpdeskSpecSchema } from '@helpdesk/cdk8s'
import type { OperatorContext } from '../context.ts'
import { engineJob } from '../jobs/engine-jobs.ts'
import { ensureJob } from '../jobs/ensure-job.ts'
import { type JobOutcome, jobOutcome } from '../jobs/outcome.ts'
import { parseBackupResult, terminationMessage } from '../jobs/termination.ts'
import { findCondition } from '../kube/conditions.ts'
import { childName } from '../kube/names.ts'
import { describe, type KubeObject, parseObjectKey, referenceTo } from '../kube/objects.ts'
import { reportStatus } from '../kube/report.ts'
import {
  backupsOf,
  type HelpdeskBackup,
  isScheduled,
  SCHEDULED_FOR_ANNOTATION,
  tierOf,
} from './resources.ts'

/**
 * One HelpdeskBackup: a Job runs the backup engine; the backup's status follows the Job.
 * After a scheduled backup succeeds, a second Job applies the retention policy (the
 * engine's prune) and the HelpdeskBackup objects outside the policy are deleted too.
 */
export async function reconcileBackup(context: OperatorContext, key: string): Promise<undefined> {
  const { namespace, name } = parseObjectKey(key)
  const backup = context.caches.backups.get(namespace, name) as HelpdeskBackup | undefined
  if (!backup || backup.metadata.deletionTimestamp) return undefined
  const succeeded = findCondition(backup.status?.conditions, 'Succeeded')
  if (succeeded?.status === 'False') return undefined
  const helpdesk = context.caches.helpdesks.get(namespace, backup.spec.helpdeskRef.name)
  if (!helpdesk) {
    await reportStatus(context, backup, {
      conditions: [
        [
          'Succeeded',
          'Unknown',
          'HelpdeskNotFound',
          `Helpdesk ${backup.spec.helpdeskRef.name} does not exist`,
        ],
      ],
      warning: true,
    })
    return undefined
  }
  const parsed = helpdeskSpecSchema.safeParse(helpdesk.spec ?? {})
  if (!parsed.success || !parsed.data.backup) {
    await reportStatus(context, backup, {
      conditions: [
        [
          'Succeeded',
          'False',
          'BackupNotConfigured',
          `Helpdesk ${helpdesk.metadata.name} has no valid spec.backup`,
        ],
      ],
      warning: true,
    })
    return undefined
  }
  if (succeeded?.status === 'True') {
    if (isScheduled(backup)) await applyRetention(context, backup, helpdesk, parsed.data)
    return undefined
  }
  await runBackup(context, backup, helpdesk, parsed.data)
  return undefined
}

async function runBackup(
  context: OperatorContext,
  backup: HelpdeskBackup,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
): Promise<void> {
  const tier = tierOf(backup)
  const jobName = childName(backup.metadata.name, 'backup')
  const job = await ensureJob(context, backup, helpdesk, jobName, () =>
    engineJob(helpdesk, spec, jobName, { command: 'backup', tier }),
  )
  const outcome = jobOutcome(job)
  const base: HelpdeskBackupStatus = { tier, jobName, ...startedAt(outcome) }
  if (outcome.state === 'running') {
    await reportStatus(context, backup, {
      fields: base,
      conditions: [['Succeeded', 'Unknown', 'Running', `Job ${jobName} is running the backup`]],
    })
    return
  }
  if (outcome.state === 'failed') {
    const message = `Job ${jobName} failed: ${outcome.message}`
    await reportStatus(context, backup, {
      fields: { ...base, completedAt: outcome.failedAt || undefined },
      conditions: [['Succeeded', 'False', 'BackupFailed', message]],
      warning: true,
    })
    await context.events.record(
      helpdesk,
      'Warning',
      'BackupFailed',
      `${describe(backup)}: ${message}`,
    )
    return
  }
  const result = parseBackupResult(await terminationMessage(context, job))
  const facts: HelpdeskBackupStatus = result
    ? {
        sizeBytes: result.sizeBytes,
        location: { bucket: spec.backup?.s3.bucket ?? '', key: result.key },
        sha256: result.sha256,
        keyId: result.keyId,
      }
    : {}
  await reportStatus(context, backup, {
    fields: { ...base, completedAt: outcome.completedAt, ...facts },
    conditions: [
      [
        'Succeeded',
        'True',
        'Completed',
        result
          ? `backup ${result.id} stored as ${result.key}`
          : `Job ${jobName} completed; it reported no result (size, location) in its termination message`,
      ],
    ],
  })
}

function startedAt(outcome: JobOutcome): Pick<HelpdeskBackupStatus, 'startedAt'> {
  return outcome.startedAt ? { startedAt: outcome.startedAt } : {}
}

async function applyRetention(
  context: OperatorContext,
  backup: HelpdeskBackup,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
): Promise<void> {
  const retention = spec.backup?.retention
  if (!retention || findCondition(backup.status?.conditions, 'RetentionApplied')) return
  const jobName = childName(backup.metadata.name, 'prune')
  const job = await ensureJob(context, backup, helpdesk, jobName, () =>
    engineJob(helpdesk, spec, jobName, { command: 'prune' }),
  )
  const outcome = jobOutcome(job)
  if (outcome.state === 'running') return
  if (outcome.state === 'failed') {
    const message = `Job ${jobName} failed: ${outcome.message}`
    await reportStatus(context, backup, {
      conditions: [['RetentionApplied', 'False', 'PruneFailed', message]],
      warning: true,
    })
    await context.events.record(helpdesk, 'Warning', 'RetentionFailed', message)
    return
  }
  const removed = await trimHistory(context, helpdesk, retention)
  await reportStatus(context, backup, {
    conditions: [
      [
        'RetentionApplied',
        'True',
        'Pruned',
        `retention applied (${retention.daily} daily, ${retention.monthly} monthly)${removed.length > 0 ? `; deleted ${removed.join(', ')}` : ''}`,
      ],
    ],
  })
}

/** Deletes the scheduled HelpdeskBackup objects whose backups the policy no longer keeps. */
async function trimHistory(
  context: OperatorContext,
  helpdesk: KubeObject,
  retention: { daily: number; monthly: number },
): Promise<string[]> {
  const scheduled = backupsOf(context.caches.backups.list(helpdesk.metadata.namespace), helpdesk)
    .filter(
      (backup) => isScheduled(backup) && findCondition(backup.status?.conditions, 'Succeeded'),
    )
    .map((backup) => ({
      backup,
      id: backup.metadata.name,
      tier: tierOf(backup),
      startedAt: new Date(
        backup.metadata.annotations?.[SCHEDULED_FOR_ANNOTATION] ??
          backup.metadata.creationTimestamp ??
          0,
      ),
      good: findCondition(backup.status?.conditions, 'Succeeded')?.status === 'True',
    }))
  const plan = planRetention(scheduled, retention, context.clock.now())
  const removed: string[] = []
  for (const { backup } of plan.remove) {
    if (await context.client.delete(referenceTo(backup), { uid: backup.metadata.uid as string })) {
      removed.push(backup.metadata.name)
    }
  }
  return removed
}
