import type { OperatorContext } from '../context.ts'
import { readLive } from '../helpdesk/live.ts'
import { ownedBy } from '../helpdesk/ownership.ts'
import { describe, type KubeObject } from '../kube/objects.ts'

/**
 * The Job `name` of `owner`, created from `build` when it does not exist yet. A Job's
 * template cannot change, so an existing Job is taken as it is (and never rendered again).
 */
export async function ensureJob(
  context: OperatorContext,
  owner: KubeObject,
  helpdesk: KubeObject,
  name: string,
  build: () => KubeObject,
): Promise<KubeObject> {
  const live = await readLive(context, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: owner.metadata.namespace,
    name,
  })
  if (live) return live
  const { object } = await context.applier.apply(ownedBy(build(), owner, helpdesk.metadata.name))
  await context.events.record(owner, 'Normal', 'JobCreated', `created ${describe(object)}`)
  return object
}
