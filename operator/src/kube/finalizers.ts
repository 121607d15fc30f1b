import type { KubeClient } from './client.ts'
import { type KubeObject, referenceTo } from './objects.ts'

/**
 * Adds or removes a finalizer with a merge patch that carries the resourceVersion: if the
 * object changed since it was read, the API server answers 409 and the reconcile retries,
 * so a finalizer someone else added at the same moment is never lost.
 */
export function setFinalizer(
  client: KubeClient,
  object: KubeObject,
  finalizer: string,
  present: boolean,
): Promise<KubeObject> {
  const others = (object.metadata.finalizers ?? []).filter((name) => name !== finalizer)
  const finalizers = present ? [...others, finalizer] : others
  return client.patch(referenceTo(object), 'merge', {
    metadata: { finalizers, resourceVersion: object.metadata.resourceVersion },
  })
}

export const hasFinalizer = (object: KubeObject, finalizer: string) =>
  (object.metadata.finalizers ?? []).includes(finalizer)
