import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { type Component, objectName, standardLabels } from '../render/labels.ts'

export interface ServiceAccountForProps {
  readonly component: Component
  readonly version: string
  /** Cloud identity: eks.amazonaws.com/role-arn, iam.gke.io/gcp-service-account, … */
  readonly annotations: Readonly<Record<string, string>>
}

/**
 * A ServiceAccount `<instance>-<component>` for pods of a component that the workload base
 * does not create (Jobs): the identity cloud providers attach bucket permissions to. It
 * mounts no token; IRSA and Pod Identity inject their own projected one.
 */
export class ServiceAccountFor extends Construct {
  constructor(scope: Construct, id: string, props: ServiceAccountForProps) {
    super(scope, id)
    const context = renderContextOf(this)
    new ApiObject(this, 'service-account', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: objectName(context, props.component),
        labels: standardLabels(context, props.component, props.version),
        annotations: props.annotations,
      },
      automountServiceAccountToken: false,
    })
  }
}
