import type { HelpdeskSpec } from '@helpdesk/cdk8s'
import { HELPDESK_API_VERSION } from '@helpdesk/cdk8s'
import {
  backupsOf,
  type HelpdeskBackup,
  isScheduled,
  SCHEDULED_FOR_ANNOTATION,
  SCHEDULED_LABEL,
} from '../backups/resources.ts'
import { BackupSchedule } from '../backups/schedule.ts'
import type { OperatorContext } from '../context.ts'
import { jobOutcome } from '../jobs/outcome.ts'
import { findCondition } from '../kube/conditions.ts'
import { childName } from '../kube/names.ts'
import type { KubeObject } from '../kube/objects.ts'
import type { CertificateReport } from './certificates.ts'
import { InvalidSpecError } from './invalid-spec.ts'
import { ownedBy } from './ownership.ts'

export interface BackupSummary {
  lastSuccessful?: { name: string; completedAt: string; sizeBytes?: number }
  lastFailure?: { name: string; failedAt: string; reason: string; message: string }
}

export interface BackupReport {
  /** The HelpdeskBackup of the latest schedule slot, when none exists for it yet. */
  due?: KubeObject
  /** The restore drill Job of the latest verify slot (created once, kept until the next). */
  verifyJobName?: string
  condition: CertificateReport['condition']
  summary: BackupSummary
  /** The next schedule slot. */
  nextCheck?: Date
}

/**
 * The backup side of a Helpdesk: which scheduled HelpdeskBackup is due (level-triggered:
 * the latest slot of the schedule at or before now, once, never before the Helpdesk
 * existed), whether backups are healthy (the latest scheduled backup succeeded and is
 * younger than two schedule intervals), and the status summary.
 */
export function backupsFor(
  context: OperatorContext,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
): BackupReport {
  const backups = backupsOf(context.caches.backups.list(helpdesk.metadata.namespace), helpdesk)
  const summary = summarize(backups)
  if (!spec.backup) {
    return {
      summary,
      condition: {
        status: 'Unknown',
        reason: 'NotConfigured',
        message: 'spec.backup is not set: no scheduled backups are taken',
      },
    }
  }
  const schedule = BackupSchedule.parse(spec.backup.schedule)
  if (!(schedule instanceof BackupSchedule)) throw new InvalidSpecError(`backup.${schedule.error}`)
  const verify = spec.backup.verify && BackupSchedule.parse(spec.backup.verify.schedule)
  if (verify && !(verify instanceof BackupSchedule)) {
    throw new InvalidSpecError(`backup.verify.${verify.error}`)
  }
  const now = context.clock.now()
  const verifyJobName = verify ? verifyJob(helpdesk, verify, now) : undefined
  const verifyFailure = verifyJobName ? failedVerify(context, helpdesk, verifyJobName) : undefined
  const nextChecks = [schedule.next(now), ...(verify ? [verify.next(now)] : [])]
  return {
    due: dueBackup(helpdesk, schedule, now, backups),
    verifyJobName,
    summary,
    condition: verifyFailure ?? health(helpdesk, schedule, now, backups),
    nextCheck: new Date(Math.min(...nextChecks.map((date) => date.getTime()))),
  }
}

/** The drill Job of the latest verify slot, unless that slot is older than the Helpdesk. */
function verifyJob(helpdesk: KubeObject, verify: BackupSchedule, now: Date): string | undefined {
  const slot = verify.previous(now)
  if (slot < new Date(helpdesk.metadata.creationTimestamp ?? now)) return undefined
  return childName(helpdesk.metadata.name, `verify-${slotStamp(slot)}`)
}

/** A failed restore drill makes backups unhealthy however recent they are: they may not restore. */
function failedVerify(
  context: OperatorContext,
  helpdesk: KubeObject,
  jobName: string,
): BackupReport['condition'] | undefined {
  const job = context.caches.cached({
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: helpdesk.metadata.namespace,
    name: jobName,
  })
  const outcome = job ? jobOutcome(job) : undefined
  if (outcome?.state !== 'failed') return undefined
  return {
    status: 'False',
    reason: 'VerifyFailed',
    message: `the restore drill ${jobName} failed: ${outcome.message}`,
  }
}

function dueBackup(
  helpdesk: KubeObject,
  schedule: BackupSchedule,
  now: Date,
  backups: readonly HelpdeskBackup[],
): KubeObject | undefined {
  const slot = schedule.previous(now)
  if (slot < new Date(helpdesk.metadata.creationTimestamp ?? now)) return undefined
  const name = scheduledBackupName(helpdesk.metadata.name, slot)
  if (backups.some((backup) => backup.metadata.name === name)) return undefined
  return ownedBy(
    {
      apiVersion: HELPDESK_API_VERSION,
      kind: 'HelpdeskBackup',
      metadata: {
        name,
        labels: { [SCHEDULED_LABEL]: 'true', 'app.kubernetes.io/component': 'backup' },
        annotations: { [SCHEDULED_FOR_ANNOTATION]: slot.toISOString() },
      },
      spec: {
        helpdeskRef: { name: helpdesk.metadata.name },
        reason: `scheduled (${schedule.expression})`,
      },
    },
    helpdesk,
    helpdesk.metadata.name,
  )
}

/** "acme-20261128-0200": one name per slot, so a slot is never backed up twice. */
export function scheduledBackupName(instance: string, slot: Date): string {
  return childName(instance, slotStamp(slot))
}

/** "20261128-0200" for 2026-11-28T02:00Z. */
const slotStamp = (slot: Date) =>
  slot.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13)

function health(
  helpdesk: KubeObject,
  schedule: BackupSchedule,
  now: Date,
  backups: readonly HelpdeskBackup[],
): BackupReport['condition'] {
  const window = 2 * schedule.interval(now)
  const finished = backups
    .filter((backup) => isScheduled(backup) && finishedAt(backup))
    .sort((a, b) => (finishedAt(b) as string).localeCompare(finishedAt(a) as string))
  const latest = finished[0]
  const age = (time: string) => now.getTime() - new Date(time).getTime()
  if (latest && findCondition(latest.status?.conditions, 'Succeeded')?.status === 'False') {
    const failure = findCondition(latest.status?.conditions, 'Succeeded')
    return {
      status: 'False',
      reason: 'BackupFailed',
      message: `the latest scheduled backup ${latest.metadata.name} failed: ${failure?.message ?? ''}`,
    }
  }
  if (latest && age(finishedAt(latest) as string) <= window) {
    return {
      status: 'True',
      reason: 'BackupSucceeded',
      message: `the latest scheduled backup ${latest.metadata.name} succeeded at ${finishedAt(latest)}`,
    }
  }
  if (!latest && age(helpdesk.metadata.creationTimestamp ?? now.toISOString()) <= window) {
    return {
      status: 'True',
      reason: 'FirstBackupPending',
      message: `the first scheduled backup is due at ${schedule.next(now).toISOString()}`,
    }
  }
  return {
    status: 'False',
    reason: 'BackupOverdue',
    message: latest
      ? `the latest successful scheduled backup ${latest.metadata.name} is older than two schedule intervals`
      : 'no scheduled backup has completed within two schedule intervals',
  }
}

function finishedAt(backup: HelpdeskBackup): string | undefined {
  const succeeded = findCondition(backup.status?.conditions, 'Succeeded')
  if (!succeeded || succeeded.status === 'Unknown') return undefined
  return backup.status?.completedAt ?? succeeded.lastTransitionTime
}

function summarize(backups: readonly HelpdeskBackup[]): BackupSummary {
  const newestFirst = backups
    .filter((backup) => finishedAt(backup))
    .sort((a, b) => (finishedAt(b) as string).localeCompare(finishedAt(a) as string))
  const success = newestFirst.find(
    (backup) => findCondition(backup.status?.conditions, 'Succeeded')?.status === 'True',
  )
  const failure = newestFirst.find(
    (backup) => findCondition(backup.status?.conditions, 'Succeeded')?.status === 'False',
  )
  const summary: BackupSummary = {}
  if (success) {
    summary.lastSuccessful = {
      name: success.metadata.name,
      completedAt: finishedAt(success) as string,
      ...(success.status?.sizeBytes === undefined ? {} : { sizeBytes: success.status.sizeBytes }),
    }
  }
  // A failure matters until a later backup succeeds.
  if (failure && (!success || (finishedAt(failure) as string) > (finishedAt(success) as string))) {
    const condition = findCondition(failure.status?.conditions, 'Succeeded')
    summary.lastFailure = {
      name: failure.metadata.name,
      failedAt: finishedAt(failure) as string,
      reason: condition?.reason ?? 'BackupFailed',
      message: condition?.message ?? '',
    }
  }
  return summary
}
