import type { OperatorContext } from '../context.ts'
import type { KubeObject, ObjectReference } from '../kube/objects.ts'

/** The live object: from the cache when it covers the kind, from the API server otherwise. */
export async function readLive(
  context: Pick<OperatorContext, 'caches' | 'client'>,
  reference: ObjectReference,
): Promise<KubeObject | null> {
  const cached = context.caches.cached(reference)
  if (cached !== undefined) return cached
  return (await context.client.get(reference)) ?? null
}
