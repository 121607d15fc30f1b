import type { OperatorContext } from '../context.ts'
import { describe, type KubeObject, referenceTo } from '../kube/objects.ts'

type Identified = Pick<KubeObject, 'apiVersion' | 'kind'> & { metadata: { name: string } }

const identity = (object: Identified) =>
  `${object.apiVersion}/${object.kind}/${object.metadata.name}`

/**
 * Deletes what the Helpdesk controls but no longer wants (a component switched off, a
 * renamed object). Returns what could not be deleted.
 */
export async function pruneUnwanted(
  context: OperatorContext,
  helpdesk: KubeObject,
  wanted: readonly Identified[],
): Promise<string[]> {
  const keep = new Set(wanted.map(identity))
  const unwanted = context.caches
    .controlledBy(helpdesk)
    .filter((object) => !keep.has(identity(object)))
  const deleted: string[] = []
  const failures: string[] = []
  for (const object of unwanted) {
    try {
      const gone = await context.client.delete(referenceTo(object), {
        uid: object.metadata.uid as string,
      })
      if (gone) deleted.push(describe(object))
    } catch (error) {
      failures.push(`deleting ${describe(object)}: ${(error as Error).message}`)
    }
  }
  if (deleted.length > 0) {
    await context.events.record(
      helpdesk,
      'Normal',
      'Pruned',
      `deleted ${deleted.join(', ')}: no longer wanted`,
    )
  }
  return failures
}
