import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { type Component, standardLabels } from '../render/labels.ts'

/** Marks Secrets whose values are generated: create them once, never overwrite them. */
export const GENERATED_ANNOTATION = 'helpdesk.dev/generated'

/**
 * Marks generated keys that seal data in the database (the application keys): they must
 * live as long as the database does, which an external database outlives any Helpdesk.
 */
export const SEALS_DATABASE_ANNOTATION = 'helpdesk.dev/seals-database'

export interface GeneratedSecretProps {
  readonly name: string
  readonly component: Component
  readonly version: string
  /** Key -> length of the random alphanumeric value. */
  readonly keys: Record<string, number>
  /** Keys that seal database data (SEALS_DATABASE_ANNOTATION). @default false */
  readonly sealsDatabase?: boolean
}

/**
 * Credentials nobody supplied: random values, kept across upgrades by the chart (it reads
 * the live Secret) and created once by the operator. A Helm uninstall keeps them, because
 * the PersistentVolumeClaims holding data protected by them stay too.
 */
export class GeneratedSecret extends Construct {
  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id)
    const context = renderContextOf(this)
    new ApiObject(this, 'secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: props.name,
        labels: standardLabels(context, props.component, props.version),
        annotations: {
          [GENERATED_ANNOTATION]: 'true',
          ...(props.sealsDatabase ? { [SEALS_DATABASE_ANNOTATION]: 'true' } : {}),
          ...(context.managedBy === 'Helm' ? { 'helm.sh/resource-policy': 'keep' } : {}),
        },
      },
      type: 'Opaque',
      data: Object.fromEntries(
        Object.entries(props.keys).map(([key, length]) => [
          key,
          context.generatedCredential(props.name, key, length),
        ]),
      ),
    })
  }
}
