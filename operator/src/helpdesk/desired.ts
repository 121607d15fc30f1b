import {
  GENERATED_ANNOTATION,
  type HelpdeskSpec,
  OPERATOR_MANAGER,
  renderHelpdesk,
} from '@helpdesk/cdk8s'
import type { LiveObjects } from '../kube/apply.ts'
import { describe, type KubeObject, referenceTo } from '../kube/objects.ts'
import { firstDifference } from '../kube/semantic.ts'
import { labelledFor, ownedBy } from './ownership.ts'

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
    .map((object) =>
      isGenerated(object) ? labelledFor(object, helpdesk, name) : ownedBy(object, helpdesk, name),
    )
    .sort((a, b) => rank(a) - rank(b))
}

export const isGenerated = (object: KubeObject) =>
  object.metadata.annotations?.[GENERATED_ANNOTATION] === 'true'

/**
 * A StatefulSet's claim templates are immutable: a changed size or StorageClass could
 * never be applied and the apply would be retried forever. The live templates are kept,
 * and what the user must do instead is reported.
 */
export function keepClaimTemplates(
  desired: readonly KubeObject[],
  live: LiveObjects,
): { objects: KubeObject[]; notices: string[] } {
  const notices: string[] = []
  const objects = desired.map((object) => {
    if (object.kind !== 'StatefulSet') return object
    const current = live.cached(referenceTo(object))
    const wanted = (object.spec as ClaimTemplates).volumeClaimTemplates
    const existing = (current?.spec as ClaimTemplates | undefined)?.volumeClaimTemplates
    if (!current || !existing || firstDifference(wanted, existing) === undefined) return object
    for (const template of wanted ?? []) {
      const size = template.spec.resources?.requests?.storage
      const claim = `${template.metadata.name}-${object.metadata.name}-0`
      notices.push(
        `${describe(object)}: claim templates cannot change; expand PersistentVolumeClaim ${claim} to ${size} yourself (kubectl patch pvc ${claim} -p '{"spec":{"resources":{"requests":{"storage":"${size}"}}}}', with a StorageClass that allows expansion)`,
      )
    }
    return { ...object, spec: { ...(object.spec as object), volumeClaimTemplates: existing } }
  })
  return { objects, notices }
}

interface ClaimTemplates {
  volumeClaimTemplates?: {
    metadata: { name: string }
    spec: { resources?: { requests?: { storage?: string } } }
  }[]
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
