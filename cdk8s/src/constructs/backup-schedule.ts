import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import { type BackupEngineProps, type EngineCommand, enginePodTemplate } from './backup-job.ts'

export interface BackupScheduleProps extends BackupEngineProps {
  /** Cron schedule of the nightly backup. */
  readonly schedule: string
  readonly retention: { readonly daily: number; readonly monthly: number }
  /** Cron schedule of the restore drill. @default - no drill */
  readonly verifySchedule?: string
}

/**
 * Backups for installs without the operator: a CronJob that backs up (tier daily) and then
 * applies the GFS retention, and optionally one that restores the latest backup into a
 * scratch database and checks it — the seed's monthly recovery test, automated.
 */
export class BackupSchedule extends Construct {
  constructor(scope: Construct, id: string, props: BackupScheduleProps) {
    super(scope, id)
    const context = renderContextOf(this)
    addCronJob(this, 'backup', objectName(context, 'backup'), props.schedule, props, [
      { command: 'backup', tier: 'daily' },
      { command: 'prune', ...props.retention },
    ])
    if (props.verifySchedule !== undefined) {
      addCronJob(
        this,
        'verify',
        objectName(context, 'backup-verify'),
        props.verifySchedule,
        props,
        [{ command: 'verify' }],
      )
    }
  }
}

function addCronJob(
  scope: Construct,
  id: string,
  name: string,
  schedule: string,
  props: BackupEngineProps,
  steps: readonly EngineCommand[],
): void {
  const context = renderContextOf(scope)
  const labels = standardLabels(context, 'backup', props.version)
  new ApiObject(scope, id, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels },
    spec: {
      schedule,
      timeZone: 'Etc/UTC',
      // Never two at once: a slow backup must not race the next one over the same prefix.
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: { backoffLimit: 1, template: enginePodTemplate(context, props, steps) },
      },
    },
  })
}
