import { type HelpdeskSpec, helpdeskSpecSchema } from '@helpdesk/cdk8s'
import type { OperatorContext } from '../context.ts'
import { waitingOn } from '../helpdesk/readiness.ts'
import { jobArgument, migrationJob, restoreEngineJob } from '../jobs/engine-jobs.ts'
import { ensureJob } from '../jobs/ensure-job.ts'
import { jobOutcome } from '../jobs/outcome.ts'
import { findCondition } from '../kube/conditions.ts'
import { childName } from '../kube/names.ts'
import type { KubeObject } from '../kube/objects.ts'
import { parseObjectKey } from '../kube/objects.ts'
import { type ConditionReport, reportStatus } from '../kube/report.ts'
import { timestamp } from '../kube/time.ts'
import { backupsOf, type HelpdeskRestore } from './resources.ts'

/**
 * Stages of an in-place restore; the Progressing condition carries the current one as its
 * reason, so the stage survives operator restarts. During the first three the Helpdesk
 * holds its API at zero replicas.
 */
type Stage = 'ScalingDown' | 'Restoring' | 'Migrating' | 'ScalingUp'
const HOLDING_API: readonly Stage[] = ['ScalingDown', 'Restoring', 'Migrating']

const stageOf = (restore: KubeObject) =>
  findCondition((restore as HelpdeskRestore).status?.conditions, 'Progressing')?.reason as
    | Stage
    | undefined

/** Not finished yet: no Succeeded verdict. */
export function isRestoreActive(restore: KubeObject): boolean {
  const succeeded = findCondition((restore as HelpdeskRestore).status?.conditions, 'Succeeded')
  return !succeeded || succeeded.status === 'Unknown'
}

/** The in-place restore that currently needs the Helpdesk's API scaled to zero, if any. */
export function restoreHoldingApi(
  context: Pick<OperatorContext, 'caches'>,
  helpdesk: KubeObject,
): HelpdeskRestore | undefined {
  const restores = context.caches.restores.list(helpdesk.metadata.namespace) as HelpdeskRestore[]
  return restores.find(
    (restore) =>
      restore.spec?.helpdeskRef?.name === helpdesk.metadata.name &&
      restore.spec.mode === 'inPlace' &&
      isRestoreActive(restore) &&
      HOLDING_API.includes(stageOf(restore) as Stage),
  )
}

/**
 * One HelpdeskRestore. newDatabase: a Job restores the backup next to the live database.
 * inPlace: the API is scaled to zero, a Job restores over the configured database, a Job
 * runs the migrations forward, the API is scaled back, and the result is reported.
 */
export async function reconcileRestore(context: OperatorContext, key: string): Promise<undefined> {
  const { namespace, name } = parseObjectKey(key)
  const restore = context.caches.restores.get(namespace, name) as HelpdeskRestore | undefined
  if (!restore || restore.metadata.deletionTimestamp || !isRestoreActive(restore)) return undefined
  const helpdesk = context.caches.helpdesks.get(namespace, restore.spec.helpdeskRef.name)
  if (!helpdesk)
    return fail(
      context,
      restore,
      'HelpdeskNotFound',
      `Helpdesk ${restore.spec.helpdeskRef.name} does not exist`,
    )
  const parsed = helpdeskSpecSchema.safeParse(helpdesk.spec ?? {})
  if (!parsed.success || !parsed.data.backup) {
    return fail(
      context,
      restore,
      'BackupNotConfigured',
      `Helpdesk ${helpdesk.metadata.name} has no valid spec.backup`,
    )
  }
  const source = backupSource(context, restore, helpdesk, parsed.data)
  if ('problem' in source) return fail(context, restore, 'BackupNotFound', source.problem)
  if (restore.spec.mode === 'newDatabase') {
    await restoreIntoNewDatabase(context, restore, helpdesk, parsed.data, source.backupId)
  } else {
    await restoreInPlace(context, restore, helpdesk, parsed.data, source.backupId)
  }
  return undefined
}

/**
 * The engine id of the backup to restore. The engine restores from the Helpdesk's backup
 * bucket and prefix, so a location elsewhere is refused.
 */
function backupSource(
  context: OperatorContext,
  restore: HelpdeskRestore,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
): { backupId: string } | { problem: string } {
  const reference = restore.spec.backupRef
  if (reference?.name !== undefined) {
    const backup = backupsOf(
      context.caches.backups.list(restore.metadata.namespace),
      helpdesk,
    ).find((candidate) => candidate.metadata.name === reference.name)
    if (!backup) {
      return {
        problem: `HelpdeskBackup ${reference.name} of Helpdesk ${helpdesk.metadata.name} does not exist`,
      }
    }
    if (
      findCondition(backup.status?.conditions, 'Succeeded')?.status !== 'True' ||
      !backup.status?.location
    ) {
      return { problem: `HelpdeskBackup ${reference.name} did not succeed or reported no location` }
    }
    return backupIdOf(backup.status.location, spec)
  }
  if (!reference?.location) return { problem: 'spec.backupRef names no backup' }
  return backupIdOf(reference.location, spec)
}

/** The engine keeps a backup under `<prefix>backups/<id>/`. */
export function backupIdOf(
  location: { bucket?: string; key: string },
  spec: HelpdeskSpec,
): { backupId: string } | { problem: string } {
  const target = spec.backup?.s3
  if (location.bucket !== undefined && location.bucket !== target?.bucket) {
    return {
      problem: `backup bucket ${location.bucket} is not the Helpdesk's backup bucket ${target?.bucket}`,
    }
  }
  const match = /^(.*?)backups\/([0-9A-Za-z-]+)\//.exec(location.key)
  if (!match)
    return { problem: `"${location.key}" is not the key of a backup (<prefix>backups/<id>/…)` }
  const [, prefix = '', backupId = ''] = match
  // The engine keeps the prefix without leading or trailing slashes, then adds one.
  const expected = (target?.prefix ?? '').replace(/^\/+|\/+$/g, '')
  if (prefix !== (expected ? `${expected}/` : '')) {
    return {
      problem: `backup key ${location.key} is outside the Helpdesk's backup prefix "${expected}"`,
    }
  }
  return { backupId }
}

async function restoreIntoNewDatabase(
  context: OperatorContext,
  restore: HelpdeskRestore,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  backupId: string,
): Promise<void> {
  const jobName = childName(restore.metadata.name, 'restore')
  const job = await ensureJob(context, restore, helpdesk, jobName, () =>
    restoreEngineJob(helpdesk, spec, jobName, restore, backupId),
  )
  const database = jobArgument(job, '--target-database')
  const outcome = jobOutcome(job)
  const fields = {
    jobName,
    database,
    ...(outcome.startedAt ? { startedAt: outcome.startedAt } : {}),
  }
  if (outcome.state === 'running') {
    await reportStatus(context, restore, {
      fields,
      conditions: [
        ['Progressing', 'True', 'Restoring', `Job ${jobName} restores into database ${database}`],
        ['Succeeded', 'Unknown', 'Running', `Job ${jobName} is running`],
      ],
    })
  } else if (outcome.state === 'failed') {
    await fail(
      context,
      restore,
      'RestoreFailed',
      `Job ${jobName} failed: ${outcome.message}`,
      fields,
    )
  } else {
    await reportStatus(context, restore, {
      fields: { ...fields, completedAt: outcome.completedAt },
      conditions: [
        ['Progressing', 'False', 'Completed', 'the restore is finished'],
        [
          'Succeeded',
          'True',
          'Restored',
          `restored into database ${database}; the live database is untouched`,
        ],
      ],
    })
  }
}

async function restoreInPlace(
  context: OperatorContext,
  restore: HelpdeskRestore,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  backupId: string,
): Promise<void> {
  const stage = stageOf(restore)
  const api = context.caches.cached({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: restore.metadata.namespace,
    name: `${helpdesk.metadata.name}-api`,
  })
  const step = (next: Stage, message: string, fields: Record<string, unknown> = {}) =>
    reportStatus(context, restore, {
      fields,
      conditions: [
        ['Progressing', 'True', next, message],
        ['Succeeded', 'Unknown', 'Running', message],
      ],
    })
  if (stage === undefined) {
    await step('ScalingDown', 'scaling the API to zero replicas', {
      startedAt: timestamp(context.clock.now()),
    })
    return
  }
  if (stage === 'ScalingDown') {
    if (api && !isScaledDown(api)) return
    await step('Restoring', 'the API is stopped; restoring the backup over the database')
    return
  }
  if (stage === 'Restoring') {
    const jobName = childName(restore.metadata.name, 'restore')
    const job = await ensureJob(context, restore, helpdesk, jobName, () =>
      restoreEngineJob(helpdesk, spec, jobName, restore, backupId),
    )
    const database = jobArgument(job, '--confirm')
    const outcome = jobOutcome(job)
    if (outcome.state === 'failed') {
      await fail(
        context,
        restore,
        'RestoreFailed',
        `Job ${jobName} failed: ${outcome.message}; the API is scaled back up`,
        { jobName },
      )
    } else if (outcome.state === 'succeeded') {
      await step('Migrating', `restored into ${database}; running the migrations forward`, {
        jobName,
        database,
      })
    }
    return
  }
  if (stage === 'Migrating') {
    const jobName = childName(restore.metadata.name, 'migrate')
    const job = await ensureJob(context, restore, helpdesk, jobName, () =>
      migrationJob(helpdesk, spec, jobName),
    )
    const outcome = jobOutcome(job)
    if (outcome.state === 'failed') {
      await fail(
        context,
        restore,
        'MigrationFailed',
        `Job ${jobName} failed: ${outcome.message}; the API is scaled back up`,
      )
    } else if (outcome.state === 'succeeded') {
      await step('ScalingUp', 'migrations done; scaling the API back up')
    }
    return
  }
  // Until the Helpdesk has applied the released API, the Deployment still says zero.
  const released = api && (api.spec as { replicas?: number } | undefined)?.replicas !== 0
  if (!released || waitingOn(api)) return
  await reportStatus(context, restore, {
    fields: { completedAt: timestamp(context.clock.now()) },
    conditions: [
      ['Progressing', 'False', 'Completed', 'the API is back'],
      [
        'Succeeded',
        'True',
        'Restored',
        `restored in place; the previous database is kept next to it`,
      ],
    ],
  })
}

function isScaledDown(api: KubeObject): boolean {
  const replicas = (api.spec as { replicas?: number } | undefined)?.replicas
  const running = (api.status as { replicas?: number } | undefined)?.replicas ?? 0
  return replicas === 0 && running === 0
}

async function fail(
  context: OperatorContext,
  restore: HelpdeskRestore,
  reason: string,
  message: string,
  fields: Record<string, unknown> = {},
): Promise<undefined> {
  const conditions: ConditionReport[] = [
    ['Progressing', 'False', reason, message],
    ['Succeeded', 'False', reason, message],
  ]
  await reportStatus(context, restore, { fields, conditions, warning: true })
  return undefined
}
