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
  // A plain copy: configuration may arrive as a read-tracking view (see src/helm).
  const copy = JSON.parse(JSON.stringify(value)) as unknown
  patchRawField(scope, pointer, () => copy)
}

/** Like setRawField, from the field's rendered value (undefined: leave the field alone). */
export function patchRawField(
  scope: IConstruct,
  pointer: string,
  patch: (current: unknown) => unknown,
): void {
  const api = ApiObject.of(scope)
  const path = pointer.split('/').slice(1)
  const render = api.toJson.bind(api)
  api.toJson = () => {
    const object = render() as KubeObject
    const next = patch(getField(object, path))
    return next === undefined ? object : setField(object, path, JSON.parse(JSON.stringify(next)))
  }
}

function getField(object: KubeObject, pointer: string[]): unknown {
  let target: unknown = object
  for (const key of pointer) {
    if (target === null || typeof target !== 'object') return undefined
    target = (target as Record<string, unknown>)[key]
  }
  return target
}

export interface CommonMetadata {
  /** On every object and pod template; configured, so they win. */
  readonly labels: Readonly<Record<string, string>>
  /** On every object. */
  readonly annotations: Readonly<Record<string, string>>
  /** helm.sh/chart (`<chart>-<version>`), on objects a chart installs. @default - none */
  readonly chart?: string
}

/** The objects with the labels and annotations every object of an install carries. */
export function withCommonMetadata(objects: KubeObject[], common: CommonMetadata): KubeObject[] {
  const chart: Record<string, string> = common.chart ? { 'helm.sh/chart': common.chart } : {}
  const labelled = (metadata: { labels?: Record<string, string> } | undefined) =>
    metadata && { ...metadata, labels: { ...metadata.labels, ...common.labels } }
  return objects.map((object) => sameConstruct(object, withCommon(object)))

  function withCommon(object: KubeObject): KubeObject {
    const metadata = {
      ...object.metadata,
      labels: { ...object.metadata.labels, ...chart, ...common.labels },
      annotations: { ...object.metadata.annotations, ...common.annotations },
    }
    const spec = object.spec as PodOwnerSpec | undefined
    if (spec?.template?.metadata) {
      return {
        ...object,
        metadata,
        spec: {
          ...spec,
          template: { ...spec.template, metadata: labelled(spec.template.metadata) },
        },
      }
    }
    const jobTemplate = spec?.jobTemplate
    if (jobTemplate) {
      const template = jobTemplate.spec.template
      return {
        ...object,
        metadata,
        spec: {
          ...spec,
          jobTemplate: {
            ...jobTemplate,
            metadata: labelled(jobTemplate.metadata),
            spec: {
              ...jobTemplate.spec,
              template: { ...template, metadata: labelled(template.metadata) },
            },
          },
        },
      }
    }
    return { ...object, metadata }
  }
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> }
  [field: string]: unknown
}

interface PodOwnerSpec {
  template?: PodTemplate
  jobTemplate?: { metadata?: { labels?: Record<string, string> }; spec: { template: PodTemplate } }
  [field: string]: unknown
}

/**
 * The construct that made an object (its node path), carried beside the JSON (a hidden
 * symbol property: never serialized or compared) so that the chart generator's errors can
 * name it.
 */
export const CONSTRUCT_PATH: unique symbol = Symbol('construct path')

/** `to`, made from `from`, as coming from the same construct. */
export function sameConstruct<T extends object>(from: object, to: T): T {
  const path = (from as { [CONSTRUCT_PATH]?: string })[CONSTRUCT_PATH]
  if (path !== undefined) {
    Object.defineProperty(to, CONSTRUCT_PATH, { value: path, enumerable: false })
  }
  return to
}

/** The chart's objects as plain JSON, without cdk8s bookkeeping. */
export function chartObjects(chart: Chart): KubeObject[] {
  const paths = new Map(
    chart.node
      .findAll()
      .filter((node): node is ApiObject => node instanceof ApiObject)
      .map((object) => [`${object.apiVersion}/${object.kind}/${object.name}`, object.node.path]),
  )
  return withoutBookkeeping(chart.toJson() as KubeObject[]).map((object) =>
    sameConstruct({ [CONSTRUCT_PATH]: paths.get(objectKey(object)) }, object),
  )
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
