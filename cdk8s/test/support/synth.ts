// Testing.synth of constructs in a HelpdeskChart, without cdk8s's construct-path labels.
// A plain App: Testing.app() would leave a directory in /tmp for every call.
import { App, Testing } from 'cdk8s'
import { concreteContext, HelpdeskChart } from '../../src/render/context.ts'
import { type KubeObject, withoutBookkeeping } from '../../src/render/kube-object.ts'

export function synth(
  build: (chart: HelpdeskChart) => void,
  options: { managedBy?: string; instance?: string } = {},
): KubeObject[] {
  const chart = new HelpdeskChart(
    new App(),
    'test',
    concreteContext({
      instance: options.instance ?? 'acme',
      namespace: 'support',
      managedBy: options.managedBy ?? 'Helm',
      randomCredential: (secretName, key) => `${secretName}/${key}`,
    }),
  )
  build(chart)
  return withoutBookkeeping(Testing.synth(chart) as KubeObject[])
}

export function only(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const matches = objects.filter(
    (object) => object.kind === kind && (!name || object.metadata.name === name),
  )
  if (matches.length !== 1)
    throw new Error(`expected one ${kind} ${name ?? ''}, found ${matches.length}`)
  return matches[0] as KubeObject
}

type Container = {
  name: string
  args?: string[]
  command?: string[]
  env?: { name: string; value?: string; valueFrom?: unknown }[]
  securityContext?: Record<string, unknown>
  [field: string]: unknown
}
export type PodSpec = {
  containers: Container[]
  initContainers?: Container[]
  volumes?: Record<string, unknown>[]
  securityContext?: Record<string, unknown>
  [field: string]: unknown
}

export function podSpec(object: KubeObject): PodSpec {
  const spec = object.spec as {
    template?: { spec: PodSpec }
    jobTemplate?: { spec: { template: { spec: PodSpec } } }
  }
  const pod = spec.template?.spec ?? spec.jobTemplate?.spec.template.spec
  if (!pod) throw new Error(`${object.kind} has no pod template`)
  return pod
}

export function container(object: KubeObject, index = 0): Container {
  return podSpec(object).containers[index] as Container
}

export function envOf(entry: Container): Record<string, string | undefined> {
  return Object.fromEntries((entry.env ?? []).map((variable) => [variable.name, variable.value]))
}
