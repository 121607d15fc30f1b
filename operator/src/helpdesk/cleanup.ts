import { HELPDESK_API_VERSION, OPERATOR_MANAGER, SEALS_DATABASE_ANNOTATION } from '@helpdesk/cdk8s'
import { INSTANCE_LABEL, MANAGED_BY_LABEL, OWNED_KINDS } from '../caches.ts'
import type { OperatorContext } from '../context.ts'
import { isNotFound } from '../kube/client.ts'
import { hasFinalizer, setFinalizer } from '../kube/finalizers.ts'
import { describe, type KubeObject, referenceTo } from '../kube/objects.ts'
import { isGenerated } from './desired.ts'

/**
 * How long deletion may wait for clean-up to succeed. After that the finalizer goes anyway
 * (with a Warning Event naming what is left), so a Helpdesk is never stuck in deletion.
 */
export const CLEANUP_DEADLINE_MS = 5 * 60_000

const CLEANED_KINDS = [...OWNED_KINDS, { apiVersion: HELPDESK_API_VERSION, kind: 'HelpdeskBackup' }]

/**
 * The finalizer's work: deletes everything the operator created for the Helpdesk and its
 * backups and restores (there may be no garbage collector, and a finalizer must not rely on
 * one). Backups in S3 are kept: only their Kubernetes objects go.
 */
export async function cleanUp(
  context: OperatorContext,
  helpdesk: KubeObject,
  finalizer: string,
): Promise<undefined> {
  if (!hasFinalizer(helpdesk, finalizer)) return undefined
  const { deleted, failures } = await deleteCreatedObjects(context, helpdesk)
  const kept = await settleCredentials(context, helpdesk, failures)
  context.metrics.forgetHelpdesk(helpdesk.metadata.namespace as string, helpdesk.metadata.name)
  const deletingFor =
    context.clock.now().getTime() - Date.parse(helpdesk.metadata.deletionTimestamp as string)
  if (failures.length > 0 && deletingFor < CLEANUP_DEADLINE_MS) {
    await context.events.record(
      helpdesk,
      'Warning',
      'CleanupFailed',
      `${failures.join('; ')}; retrying`,
    )
    throw new Error(`clean-up of ${describe(helpdesk)} failed: ${failures.join('; ')}`)
  }
  try {
    await setFinalizer(context.client, helpdesk, finalizer, false)
  } catch (error) {
    // A reconcile that started from a stale cache: the Helpdesk is already gone.
    if (isNotFound(error)) return undefined
    throw error
  }
  if (failures.length > 0) {
    await context.events.record(
      helpdesk,
      'Warning',
      'CleanupIncomplete',
      `gave up after ${CLEANUP_DEADLINE_MS / 60_000} minutes; left behind: ${failures.join('; ')}`,
    )
  } else {
    await context.events.record(
      helpdesk,
      'Normal',
      'CleanedUp',
      `deleted ${deleted} objects; backups in S3 are kept${kept.length ? `; kept ${kept.join(', ')} for the data that remains (volumes, an external database)` : ''}`,
    )
  }
  return undefined
}

async function deleteCreatedObjects(
  context: OperatorContext,
  helpdesk: KubeObject,
): Promise<{ deleted: number; failures: string[] }> {
  const { name, namespace } = helpdesk.metadata
  const labelSelector = `${MANAGED_BY_LABEL}=${OPERATOR_MANAGER},${INSTANCE_LABEL}=${name}`
  let deleted = 0
  const failures: string[] = []
  for (const { apiVersion, kind } of CLEANED_KINDS) {
    let objects: KubeObject[]
    try {
      // Listed, not cached: clean-up must see everything, however the caches stand.
      objects = (await context.client.list(apiVersion, kind, { namespace, labelSelector })).items
    } catch (error) {
      // A kind whose CRD is not installed has nothing to clean up.
      if (!isNotFound(error)) failures.push(`listing ${kind}: ${(error as Error).message}`)
      continue
    }
    for (const object of objects.filter((candidate) => createdFor(candidate, helpdesk))) {
      try {
        if (
          await context.client.delete(referenceTo(object), { uid: object.metadata.uid as string })
        ) {
          deleted += 1
        }
      } catch (error) {
        failures.push(`deleting ${describe(object)}: ${(error as Error).message}`)
      }
    }
  }
  return { deleted, failures }
}

/**
 * Generated credentials (no owner reference, see ownership.ts) stay while any volume of the
 * instance does: a Helpdesk created again with the same name finds its data and the
 * passwords that open it. Without volumes they go — except keys that seal data in an
 * external database (the application keys), which outlives the Helpdesk. Returns the
 * Secrets kept.
 */
async function settleCredentials(
  context: OperatorContext,
  helpdesk: KubeObject,
  failures: string[],
): Promise<string[]> {
  const { name, namespace } = helpdesk.metadata
  const labelSelector = `${MANAGED_BY_LABEL}=${OPERATOR_MANAGER},${INSTANCE_LABEL}=${name}`
  try {
    const secrets = (
      await context.client.list('v1', 'Secret', { namespace, labelSelector })
    ).items.filter(isGenerated)
    if (secrets.length === 0) return []
    const volumes = await context.client.list('v1', 'PersistentVolumeClaim', {
      namespace,
      labelSelector: `${INSTANCE_LABEL}=${name}`,
    })
    if (volumes.items.length > 0) return secrets.map(describe)
    const externalDatabase = Boolean(
      (helpdesk.spec as { database?: { external?: unknown } } | undefined)?.database?.external,
    )
    const outlivesUs = (secret: KubeObject) =>
      externalDatabase && secret.metadata.annotations?.[SEALS_DATABASE_ANNOTATION] === 'true'
    for (const secret of secrets.filter((candidate) => !outlivesUs(candidate))) {
      await context.client.delete(referenceTo(secret), { uid: secret.metadata.uid as string })
    }
    return secrets.filter(outlivesUs).map(describe)
  } catch (error) {
    failures.push(`generated credentials: ${(error as Error).message}`)
  }
  return []
}

/** Controlled by the Helpdesk, or by one of its HelpdeskBackups or HelpdeskRestores. */
function createdFor(object: KubeObject, helpdesk: KubeObject): boolean {
  const controller = object.metadata.ownerReferences?.find((reference) => reference.controller)
  if (!controller) return false
  return (
    controller.uid === helpdesk.metadata.uid ||
    controller.kind === 'HelpdeskBackup' ||
    controller.kind === 'HelpdeskRestore'
  )
}
