import { type HelpdeskSpec, OPERATOR_MANAGER, renderHelpdesk } from '@helpdesk/cdk8s'
import type { KubeObject } from '../kube/objects.ts'
import { ownedBy } from './ownership.ts'

/** Apply order: what others refer to first, workloads after their configuration. */
const KIND_ORDER = [
  'NetworkPolicy',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Service',
  'StatefulSet',
  'Job',
  'Deployment',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Certificate',
  'Ingress',
  'HTTPRoute',
  'ServiceMonitor',
]

export interface DesiredOptions {
  /** Objects the operator makes itself (certificate Secrets). */
  extraObjects: readonly KubeObject[]
  podTemplateAnnotations: Record<string, string>
  /** An in-place restore is running: the API must stay at zero replicas. */
  holdApi: boolean
}

/**
 * Everything one Helpdesk should consist of: the cdk8s constructs rendered for its spec
 * (the same ones the Helm chart comes from), plus the operator's own objects, each owned
 * by the Helpdesk, in apply order.
 */
export function desiredObjects(
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  options: DesiredOptions,
): KubeObject[] {
  const { name, namespace = '' } = helpdesk.metadata
  const rendered = renderHelpdesk({
    name,
    namespace,
    spec,
    managedBy: OPERATOR_MANAGER,
    podTemplateAnnotations: options.podTemplateAnnotations,
  }) as KubeObject[]
  const objects = options.holdApi ? holdApiAtZero(rendered) : rendered
  return [...objects, ...options.extraObjects]
    .map((object) => ownedBy(object, helpdesk, name))
    .sort((a, b) => rank(a) - rank(b))
}

const rank = (object: KubeObject) => {
  const index = KIND_ORDER.indexOf(object.kind)
  return index === -1 ? KIND_ORDER.length : index
}

const isApi = (object: KubeObject) =>
  object.metadata.labels?.['app.kubernetes.io/component'] === 'api'

/** The API Deployment at zero replicas and without its autoscaler, which would scale it up. */
function holdApiAtZero(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .filter((object) => !(object.kind === 'HorizontalPodAutoscaler' && isApi(object)))
    .map((object) =>
      object.kind === 'Deployment' && isApi(object)
        ? { ...object, spec: { ...(object.spec as object), replicas: 0 } }
        : object,
    )
}
