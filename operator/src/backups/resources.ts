import type {
  HelpdeskBackupSpec,
  HelpdeskBackupStatus,
  HelpdeskRestoreSpec,
  HelpdeskRestoreStatus,
} from '@helpdesk/cdk8s'
import type { KubeObject } from '../kube/objects.ts'

/** On HelpdeskBackups the schedule created (the others are on-demand, tier manual). */
export const SCHEDULED_LABEL = 'helpdesk.dev/scheduled'
/** The schedule slot a scheduled HelpdeskBackup stands for (RFC 3339). */
export const SCHEDULED_FOR_ANNOTATION = 'helpdesk.dev/scheduled-for'

export type BackupTier = NonNullable<HelpdeskBackupStatus['tier']>

export interface HelpdeskBackup extends KubeObject {
  spec: HelpdeskBackupSpec
  status?: HelpdeskBackupStatus
}

export interface HelpdeskRestore extends KubeObject {
  spec: HelpdeskRestoreSpec
  status?: HelpdeskRestoreStatus
}

export const isScheduled = (backup: KubeObject) =>
  backup.metadata.labels?.[SCHEDULED_LABEL] === 'true'

export const tierOf = (backup: KubeObject): BackupTier => (isScheduled(backup) ? 'daily' : 'manual')

/** The HelpdeskBackups of one Helpdesk. */
export function backupsOf(all: readonly KubeObject[], helpdesk: KubeObject): HelpdeskBackup[] {
  return (all as HelpdeskBackup[]).filter(
    (backup) => backup.spec?.helpdeskRef?.name === helpdesk.metadata.name,
  )
}
