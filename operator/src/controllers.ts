import { reconcileBackup } from './backups/backup-reconciler.ts'
import { isRestoreActive, reconcileRestore } from './backups/restore-reconciler.ts'
import type { OperatorContext } from './context.ts'
import { reconcileHelpdesk } from './helpdesk/reconciler.ts'
import { type KubeObject, objectKey } from './kube/objects.ts'
import type { BackoffOptions } from './runtime/backoff.ts'
import { Controller, type ReconcileFunction } from './runtime/controller.ts'
import type { Logger } from './runtime/logger.ts'
import type { OperatorMetrics } from './runtime/metrics.ts'

export interface ControllerSettings {
  concurrency: number
  backoff: BackoffOptions
  metrics: OperatorMetrics
  logger: Logger
}

/** The key of the Helpdesk a HelpdeskBackup or HelpdeskRestore refers to. */
export function referencedHelpdeskKey(object: KubeObject): string | undefined {
  const name = (object.spec as { helpdeskRef?: { name?: string } } | undefined)?.helpdeskRef?.name
  return name ? `${object.metadata.namespace}/${name}` : undefined
}

/**
 * The three controllers and the routing of cache events to their queues: a change to an
 * object the operator created requeues the resource that controls it.
 */
export function createControllers(
  context: OperatorContext,
  settings: ControllerSettings,
): { controllers: Controller[]; enqueueAll: () => void } {
  const controller = (name: string, reconcile: ReconcileFunction) =>
    new Controller({ ...settings, name, reconcile })
  const helpdesks = controller('helpdesk', (key) => reconcileHelpdesk(context, key))
  const backups = controller('backup', (key) => reconcileBackup(context, key))
  const restores = controller('restore', (key) => reconcileRestore(context, key))
  const { caches } = context

  const enqueueHelpdesk = (key: string | undefined) => {
    if (!key) return
    helpdesks.enqueue(key)
    // An in-place restore waits on the Helpdesk's workloads (scaled down, scaled back up).
    for (const restore of caches.restores.list(key.slice(0, key.indexOf('/')))) {
      if (referencedHelpdeskKey(restore) === key && isRestoreActive(restore)) {
        restores.enqueue(objectKey(restore))
      }
    }
  }
  caches.helpdesks.onChange((helpdesk) => enqueueHelpdesk(objectKey(helpdesk)))
  caches.backups.onChange((backup) => {
    backups.enqueue(objectKey(backup))
    enqueueHelpdesk(referencedHelpdeskKey(backup))
  })
  caches.restores.onChange((restore) => {
    restores.enqueue(objectKey(restore))
    enqueueHelpdesk(referencedHelpdeskKey(restore))
  })
  const byOwnerKind: Record<string, (key: string) => void> = {
    Helpdesk: enqueueHelpdesk,
    HelpdeskBackup: (key) => backups.enqueue(key),
    HelpdeskRestore: (key) => restores.enqueue(key),
  }
  for (const informer of caches.ownedInformers()) {
    informer.onChange((object) => {
      const owner = object.metadata.ownerReferences?.find((reference) => reference.controller)
      if (owner) byOwnerKind[owner.kind]?.(`${object.metadata.namespace}/${owner.name}`)
    })
  }

  const enqueueAll = () => {
    for (const helpdesk of caches.helpdesks.list()) helpdesks.enqueue(objectKey(helpdesk))
    for (const backup of caches.backups.list()) backups.enqueue(objectKey(backup))
    for (const restore of caches.restores.list()) restores.enqueue(objectKey(restore))
  }
  return { controllers: [helpdesks, backups, restores], enqueueAll }
}
