import { OPERATOR_MANAGER } from '@helpdesk/cdk8s'
import { INSTANCE_LABEL, MANAGED_BY_LABEL } from '../caches.ts'
import { controllerReference, type KubeObject } from '../kube/objects.ts'

/** CONTRIBUTING.md "Kubernetes": what every Helpdesk object carries. */
const STANDARD_LABELS = {
  'app.kubernetes.io/name': 'helpdesk',
  'app.kubernetes.io/part-of': 'helpdesk',
}

/**
 * `object` as the operator applies it for `owner`: in the owner's namespace, controlled by
 * it (so Kubernetes garbage-collects it with the owner) and carrying the labels the
 * operator's caches and clean-up select on.
 */
export function ownedBy(object: KubeObject, owner: KubeObject, instance: string): KubeObject {
  const labelled = labelledFor(object, owner, instance)
  return {
    ...labelled,
    metadata: { ...labelled.metadata, ownerReferences: [controllerReference(owner)] },
  }
}

/**
 * Labelled like the objects the operator owns, but without an owner reference: generated
 * credentials must outlive the Helpdesk while the volumes they protect exist (clean-up.ts),
 * so that a Helpdesk created again with the same name finds its data and its passwords.
 */
export function labelledFor(object: KubeObject, owner: KubeObject, instance: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      namespace: owner.metadata.namespace,
      labels: {
        ...STANDARD_LABELS,
        ...object.metadata.labels,
        [MANAGED_BY_LABEL]: OPERATOR_MANAGER,
        [INSTANCE_LABEL]: instance,
      },
    },
  }
}
