import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import type { PolicyRule } from '../charts/operator-rbac.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName } from '../render/labels.ts'

export interface HelpdeskRolesProps {
  readonly labels: Record<string, string>
  readonly view: PolicyRule[]
  readonly edit: PolicyRule[]
}

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to'

/**
 * ClusterRoles aggregated into the built-in roles: whoever may `view` a namespace reads its
 * Helpdesks, backups and restores; `edit` and `admin` may also write them (as the CNPG
 * chart does for its kinds). Helpdesk specs hold no secrets, only references to them.
 */
export class HelpdeskRoles extends Construct {
  constructor(scope: Construct, id: string, props: HelpdeskRolesProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const prefix = `${context.namespace}-${objectName(context, 'operator')}`
    const role = (suffix: string, aggregates: string[], rules: PolicyRule[]) =>
      new ApiObject(this, suffix, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: `${prefix}-${suffix}`,
          labels: {
            ...Object.fromEntries(aggregates.map((target) => [`${AGGREGATE}-${target}`, 'true'])),
            ...props.labels,
          },
        },
        rules,
      })
    role('view', ['view', 'edit', 'admin'], props.view)
    role('edit', ['edit', 'admin'], props.edit)
  }
}
