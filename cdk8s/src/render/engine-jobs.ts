// Jobs running the backup engine for the operator: on-demand and scheduled backups, restore
// drills, retention and restores. The chart's CronJobs use the same pod template.
import { App } from 'cdk8s'
import { BackupJob, type EngineCommand } from '../constructs/backup-job.ts'
import { POSTGRES_DATABASE } from '../constructs/postgres.ts'
import {
  type HelpdeskSpec,
  type HelpdeskSpecInput,
  helpdeskSpecSchema,
} from '../schema/helpdesk.ts'
import type { HelpdeskRestoreSpec } from '../schema/resources.ts'
import { backupEngineProps } from './components.ts'
import { concreteContext, HelpdeskChart } from './context.ts'
import { chartObjects, type KubeObject } from './kube-object.ts'
import { assertInstanceName, OPERATOR_MANAGER, valuesOfSpec } from './render-helpdesk.ts'

export interface HelpdeskRef {
  name: string
  namespace: string
  spec: HelpdeskSpecInput | HelpdeskSpec
}

interface EngineJobInput {
  /** Name of the Job. */
  name: string
  helpdesk: HelpdeskRef
  /** Extra labels on the Job and its pod. @default - none */
  labels?: Record<string, string>
  /** @default helpdesk-operator */
  managedBy?: string
}

export interface BackupJobInput extends EngineJobInput {
  /**
   * backup: `helpdesk backup --tier <tier>` (the result line goes to the termination
   * message); prune: the spec's retention; verify: restore the latest backup into a scratch
   * database and check it.
   */
  command: 'backup' | 'prune' | 'verify'
  /** For command backup. @default manual */
  tier?: 'daily' | 'monthly' | 'manual'
}

/** A Job running `helpdesk backup|prune|verify` for the Helpdesk. */
export function backupJob(input: BackupJobInput): KubeObject {
  const spec = helpdeskSpecSchema.parse(input.helpdesk.spec)
  const step: EngineCommand =
    input.command === 'backup'
      ? { command: 'backup', tier: input.tier ?? 'manual' }
      : input.command === 'prune'
        ? { command: 'prune', ...requireBackup(spec, input.helpdesk.name).retention }
        : { command: 'verify' }
  return engineJob(input, spec, [step])
}

export interface RestoreJobInput extends EngineJobInput {
  /** The HelpdeskRestore this Job carries out. */
  restore: { name: string; spec: HelpdeskRestoreSpec }
  /** Id of the backup (`backups/<id>/…` in the bucket). */
  backupId: string
}

/**
 * A Job running `helpdesk restore`: in place (the API must be scaled to zero first), or into
 * spec.targetDatabase, by default `<database>_restore_<restore name>`.
 */
export function restoreJob(input: RestoreJobInput): KubeObject {
  const spec = helpdeskSpecSchema.parse(input.helpdesk.spec)
  const database = spec.database.external?.database ?? POSTGRES_DATABASE
  const step: EngineCommand =
    input.restore.spec.mode === 'inPlace'
      ? { command: 'restore', backupId: input.backupId, inPlace: { database } }
      : {
          command: 'restore',
          backupId: input.backupId,
          targetDatabase:
            input.restore.spec.targetDatabase ?? restoreDatabaseName(database, input.restore.name),
        }
  // A failed restore leaves the target untouched; retrying blindly could race an operator
  // that is already reporting the failure.
  return engineJob(input, spec, [step], 0)
}

/** `<database>_restore_<restore name>`, as a Postgres identifier of at most 63 bytes. */
export function restoreDatabaseName(database: string, restoreName: string): string {
  return `${database}_restore_${restoreName}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63)
}

function engineJob(
  input: EngineJobInput,
  spec: HelpdeskSpec,
  steps: EngineCommand[],
  backoffLimit?: number,
): KubeObject {
  assertInstanceName(input.helpdesk.name)
  requireBackup(spec, input.helpdesk.name)
  const context = concreteContext({
    instance: input.helpdesk.name,
    namespace: input.helpdesk.namespace,
    managedBy: input.managedBy ?? OPERATOR_MANAGER,
  })
  const chart = new HelpdeskChart(new App(), 'engine-job', context)
  const engine = backupEngineProps(context, valuesOfSpec(spec))
  if (!engine) throw new Error('unreachable: backup settings checked above')
  new BackupJob(chart, 'job', {
    ...engine,
    name: input.name,
    steps,
    labels: input.labels,
    backoffLimit,
  })
  const [job] = chartObjects(chart)
  return job as KubeObject
}

function requireBackup(spec: HelpdeskSpec, name: string): NonNullable<HelpdeskSpec['backup']> {
  if (!spec.backup) {
    throw new Error(
      `Helpdesk ${name} has no spec.backup: set backup.s3 and backup.encryptionKeySecretRef`,
    )
  }
  return spec.backup
}
