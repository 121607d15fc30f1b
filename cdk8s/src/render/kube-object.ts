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

interface RawField {
  pointer: string[]
  value: unknown
}

const rawFields = new WeakMap<ApiObject, RawField[]>()

/**
 * Sets a field of the synthesized object after cdk8s has rendered it. cdk8s JSON patches run
 * before the generated L1 classes re-map their props, which drops fields those classes do not
 * know as given (plain quantities, lists passed through from the configuration).
 */
export function setRawField(scope: IConstruct, pointer: string, value: unknown): void {
  const api = ApiObject.of(scope)
  const fields = rawFields.get(api) ?? []
  // A plain copy: configuration may arrive as a read-tracking view (see src/helm).
  fields.push({ pointer: pointer.split('/').slice(1), value: JSON.parse(JSON.stringify(value)) })
  rawFields.set(api, fields)
}

/** The chart's objects as plain JSON, without cdk8s bookkeeping. */
export function chartObjects(chart: Chart): KubeObject[] {
  const apiObjects = new Map(
    chart.node
      .findAll()
      .filter((construct): construct is ApiObject => construct instanceof ApiObject)
      .map((api) => [`${api.kind}/${api.name}`, api]),
  )
  return (chart.toJson() as KubeObject[]).map((object) => {
    const api = apiObjects.get(`${object.kind}/${object.metadata.name}`)
    for (const field of (api && rawFields.get(api)) ?? []) setField(object, field)
    const cleaned = stripAddressLabels(object) as KubeObject
    if (CLUSTER_SCOPED_KINDS.has(cleaned.kind)) delete cleaned.metadata.namespace
    return cleaned
  })
}

/** Sets the field; a final `-` appends to the list there (creating it when missing). */
function setField(object: KubeObject, { pointer, value }: RawField): void {
  const last = pointer.at(-1) as string
  const parents = last === '-' ? pointer.slice(0, -2) : pointer.slice(0, -1)
  let target = object as Record<string, unknown>
  for (const key of parents) {
    const next = Array.isArray(target) ? target[Number(key)] : target[key]
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new Error(`${object.kind} ${object.metadata.name} has no /${pointer.join('/')}`)
    }
    target = next as Record<string, unknown>
  }
  if (last === '-') {
    const listKey = pointer.at(-2) as string
    const list = (target[listKey] as unknown[] | undefined) ?? []
    target[listKey] = [...list, value]
  } else {
    target[last] = value
  }
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
