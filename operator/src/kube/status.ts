import type { KubeClient } from './client.ts'
import type { KubeObject } from './objects.ts'
import { deepEqual } from './semantic.ts'

/**
 * Writes `status` through the status subresource (server-side apply, so fields the
 * operator stops reporting disappear), unless the object already carries exactly this
 * status. Returns whether it wrote.
 */
export async function applyStatus(
  client: KubeClient,
  object: KubeObject,
  status: Record<string, unknown>,
): Promise<boolean> {
  if (deepEqual(object.status ?? {}, status)) return false
  const { apiVersion, kind, metadata } = object
  await client.apply(
    { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace }, status },
    'status',
  )
  return true
}
