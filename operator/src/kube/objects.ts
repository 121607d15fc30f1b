/** The parts of Kubernetes object metadata the operator reads or writes. */
export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  managedFields?: unknown[]
}

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** Any Kubernetes object as plain JSON, exactly as the API server sends it. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  [field: string]: unknown
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  items: T[]
  metadata: { resourceVersion?: string; continue?: string }
}

/** Identifies one object: what `get` and `delete` need. */
export interface ObjectReference {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
}

/** "namespace/name": the key of the work queues and caches. */
export function objectKey(object: { metadata: { name: string; namespace?: string } }): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`
}

export function parseObjectKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/')
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) }
}

export function referenceTo(object: KubeObject): ObjectReference {
  const { apiVersion, kind, metadata } = object
  return { apiVersion, kind, name: metadata.name, namespace: metadata.namespace }
}

/** A controller owner reference: the owner is the one object responsible for this one. */
export function controllerReference(owner: KubeObject): OwnerReference {
  if (!owner.metadata.uid) throw new Error(`${describe(owner)} has no uid: it was never stored`)
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  }
}

export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (reference) => reference.controller && reference.uid === owner.metadata.uid,
  )
}

/** "Deployment support/acme-api", for messages. */
export function describe(object: ObjectReference | KubeObject): string {
  const { kind, name, namespace } = 'metadata' in object ? referenceTo(object) : object
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`
}
