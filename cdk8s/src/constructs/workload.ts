// The shared base of every long-running workload (HttpWorkload, StatefulService, Operator):
// its name and labels, its own ServiceAccount, the pod metadata, and the finishing patches
// — resources, pull secrets, the platform team's pod settings — in one place.
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { setRawField } from '../render/kube-object.ts'
import { type Component, objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { type PodPatches, type PodSettings, patchPod } from './pod-spec.ts'

export interface WorkloadBaseProps {
  readonly component: Component
  /** app.kubernetes.io/version */
  readonly version: string
  /** app.kubernetes.io/name. @default helpdesk */
  readonly appName?: string
  /** Only the operator talks to the Kubernetes API. @default false */
  readonly automountToken?: boolean
  /** Annotations of the ServiceAccount (cloud identity). @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
  /** @default - none */
  readonly settings?: PodSettings
}

export abstract class WorkloadBase extends Construct {
  readonly name: string
  readonly selector: Record<string, string>
  readonly labels: Record<string, string>
  protected readonly serviceAccount: kplus.ServiceAccount
  readonly #settings: PodSettings | undefined

  constructor(scope: Construct, id: string, props: WorkloadBaseProps) {
    super(scope, id)
    const context = renderContextOf(this)
    this.name = objectName(context, props.component)
    this.selector = selectorLabels(context, props.component, props.appName)
    this.labels = standardLabels(context, props.component, props.version, props.appName)
    this.#settings = props.settings
    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: this.metadata,
      automountToken: props.automountToken ?? false,
    })
    if (props.serviceAccountAnnotations) {
      setRawField(this.serviceAccount, '/metadata/annotations', props.serviceAccountAnnotations)
    }
  }

  /** Name and labels of the workload's objects. */
  protected get metadata() {
    return { name: this.name, labels: this.labels }
  }

  /** Labels and annotations of the pod template; the operator's annotations roll the pods. */
  protected podMetadata(annotations: Record<string, string> = {}) {
    const context = renderContextOf(this)
    return {
      labels: this.labels,
      annotations: { ...annotations, ...context.podTemplateAnnotations },
    }
  }

  /** Selects the pods by the selector labels and applies the patches and pod settings. */
  protected finish(
    workload: kplus.Deployment | kplus.StatefulSet,
    patches: Omit<PodPatches, 'templatePath' | 'settings'>,
  ): void {
    workload.select(kplus.LabelSelector.of({ labels: this.selector }))
    patchPod(workload, { ...patches, templatePath: '/spec/template', settings: this.#settings })
  }
}
