import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import type { PolicyRule } from '../charts/operator-rbac.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName } from '../render/labels.ts'

export interface OperatorRbacProps {
  readonly labels: Record<string, string>
  /** Bound cluster-wide (a ClusterRole) or in the release namespace (a Role). */
  readonly rules: PolicyRule[]
  readonly clusterWide: boolean
  /** In the release namespace. */
  readonly leaderElectionRules: PolicyRule[]
  /** Cluster-wide whatever the watch (TokenReview, SubjectAccessReview). */
  readonly metricsAuthRules: PolicyRule[]
  /** A ClusterRole to bind to scrapers; not bound here. */
  readonly metricsReaderRules: PolicyRule[]
}

const RBAC = 'rbac.authorization.k8s.io'

/**
 * The operator's permissions, bound to its ServiceAccount (`<release>-operator`). Names of
 * cluster-scoped objects carry the namespace, so releases in two namespaces never collide.
 */
export class OperatorRbac extends Construct {
  constructor(scope: Construct, id: string, props: OperatorRbacProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const name = objectName(context, 'operator')
    const clusterName = `${context.namespace}-${name}`
    const subjects = [{ kind: 'ServiceAccount', name, namespace: context.namespace }]
    const role = (
      roleId: string,
      kind: 'Role' | 'ClusterRole',
      roleName: string,
      rules: PolicyRule[],
      bound = true,
    ) => {
      const metadata = { name: roleName, labels: props.labels }
      new ApiObject(this, `${roleId}-role`, { apiVersion: `${RBAC}/v1`, kind, metadata, rules })
      if (!bound) return
      new ApiObject(this, `${roleId}-binding`, {
        apiVersion: `${RBAC}/v1`,
        kind: `${kind}Binding`,
        metadata,
        roleRef: { apiGroup: RBAC, kind, name: roleName },
        subjects,
      })
    }
    if (props.clusterWide) role('operator', 'ClusterRole', clusterName, props.rules)
    else role('operator', 'Role', name, props.rules)
    role('leader-election', 'Role', `${name}-leader-election`, props.leaderElectionRules)
    role('metrics-auth', 'ClusterRole', `${clusterName}-metrics-auth`, props.metricsAuthRules)
    role(
      'metrics-reader',
      'ClusterRole',
      `${clusterName}-metrics-reader`,
      props.metricsReaderRules,
      false,
    )
  }
}
