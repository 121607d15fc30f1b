import { ApiObject, type Chart } from 'cdk8s'
import type { IConstruct } from 'constructs'

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    [field: string]: unknown
  }
  [field: string]: unknown
}

const CLUSTER_SCOPED_KINDS = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'Namespace',
])

// cdk8s-plus labels every pod template with the construct path; our selectors use the
// standard app.kubernetes.io labels, so the extra label only adds noise to every diff.
const CDK8S_ADDRESS_LABEL = 'cdk8s.io/metadata.addr'

/**
 * Sets a field of the object as it is synthesized, after cdk8s has rendered it. cdk8s JSON
 * patches run before the generated L1 classes re-map their props, which drops fields those
 * classes do not know as given (plain quantities, lists passed through from configuration).
 */
export function setRawField(scope: IConstruct, pointer: string, value: unknown): void {
  const api = ApiObject.of(scope)
  const path = pointer.split('/').slice(1)
  // A plain copy: configuration may arrive as a read-tracking view (see src/helm).
  const copy = JSON.parse(JSON.stringify(value)) as unknown
  const render = api.toJson.bind(api)
  api.toJson = () => setField(render() as KubeObject, path, copy)
}

/** The chart's objects as plain JSON, without cdk8s bookkeeping. */
export function chartObjects(chart: Chart): KubeObject[] {
  return withoutBookkeeping(chart.toJson() as KubeObject[])
}

/** Synthesized objects without the construct-path labels, cluster objects without namespace. */
export function withoutBookkeeping(objects: KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    const cleaned = stripAddressLabels(object) as KubeObject
    if (CLUSTER_SCOPED_KINDS.has(cleaned.kind)) delete cleaned.metadata.namespace
    return cleaned
  })
}

function setField(object: KubeObject, pointer: string[], value: unknown): KubeObject {
  let target = object as Record<string, unknown>
  for (const key of pointer.slice(0, -1)) {
    const next = Array.isArray(target) ? target[Number(key)] : target[key]
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new Error(`${object.kind} ${object.metadata.name} has no /${pointer.join('/')}`)
    }
    target = next as Record<string, unknown>
  }
  target[pointer.at(-1) as string] = value
  return object
}
/** Removes the label from label maps and selectors alike. */
function stripAddressLabels(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAddressLabels)
  if (value === null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key !== CDK8S_ADDRESS_LABEL) copy[key] = stripAddressLabels(item)
  }
  return copy
}

export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata.name}`
}
