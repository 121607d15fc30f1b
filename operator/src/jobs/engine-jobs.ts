import {
  backupJob,
  type HelpdeskRestoreSpec,
  type HelpdeskSpec,
  renderHelpdesk,
  restoreJob,
} from '@helpdesk/cdk8s'
import type { KubeObject } from '../kube/objects.ts'

const helpdeskRef = (helpdesk: KubeObject, spec: HelpdeskSpec) => ({
  name: helpdesk.metadata.name,
  namespace: helpdesk.metadata.namespace ?? '',
  spec,
})

/** A Job running `helpdesk backup|prune|verify` for the Helpdesk. */
export function engineJob(
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  name: string,
  command:
    | { command: 'backup'; tier: 'daily' | 'monthly' | 'manual' }
    | { command: 'prune' | 'verify' },
): KubeObject {
  return backupJob({ name, helpdesk: helpdeskRef(helpdesk, spec), ...command }) as KubeObject
}

/** A Job running `helpdesk restore` of `backupId` for the HelpdeskRestore. */
export function restoreEngineJob(
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  name: string,
  restore: KubeObject & { spec: HelpdeskRestoreSpec },
  backupId: string,
): KubeObject {
  return restoreJob({
    name,
    helpdesk: helpdeskRef(helpdesk, spec),
    restore: { name: restore.metadata.name, spec: restore.spec },
    backupId,
  }) as KubeObject
}

/** The Helpdesk's migrations Job under another name: run again after an in-place restore. */
export function migrationJob(helpdesk: KubeObject, spec: HelpdeskSpec, name: string): KubeObject {
  const rendered = renderHelpdesk(helpdeskRef(helpdesk, spec)) as KubeObject[]
  const migrations = rendered.find(
    (object) =>
      object.kind === 'Job' &&
      object.metadata.labels?.['app.kubernetes.io/component'] === 'migrations',
  )
  if (!migrations)
    throw new Error(`the constructs render no migrations Job for ${helpdesk.metadata.name}`)
  return { ...migrations, metadata: { ...migrations.metadata, name } }
}

/** The value after `flag` in the Job's container arguments: what the Job was told to do. */
export function jobArgument(job: KubeObject, flag: string): string | undefined {
  const containers =
    (job.spec as { template?: { spec?: { containers?: { args?: string[] }[] } } } | undefined)
      ?.template?.spec?.containers ?? []
  for (const { args = [] } of containers) {
    const index = args.indexOf(flag)
    if (index !== -1) return args[index + 1]
  }
  return undefined
}
