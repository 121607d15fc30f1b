import { ApiObject, Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { LEADER_ELECTION_RULES, OPERATOR_RULES, type PolicyRule } from '../charts/operator-rbac.ts'
import { PORTS, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { ScaledDeploymentPolicies } from './autoscaling.ts'
import {
  emptyDirMount,
  patchPod,
  pullPolicy,
  type ResourceRequirements,
  restrictedContainer,
  restrictedPod,
} from './pod-spec.ts'

export interface OperatorProps {
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  readonly replicas: number
  readonly resources: ResourceRequirements
  /** Only the release namespace (a Role), or every namespace (a ClusterRole). */
  readonly watchAllNamespaces: boolean
  /** Environment of operator/src/main.ts (operator/README.md "Configuration"). */
  readonly environment: Record<string, string>
  /** Seconds in-flight reconciles get after SIGTERM. */
  readonly shutdownGraceSeconds: number
  /** Scrape interval of a ServiceMonitor. @default - none */
  readonly serviceMonitorInterval?: string
}

const RBAC = 'rbac.authorization.k8s.io'

/**
 * The operator: a Deployment of leader-elected replicas under Pod Security "restricted",
 * its ServiceAccount, exactly the RBAC of charts/operator-rbac.ts (cluster-wide or in the release
 * namespace), Lease permissions in its own namespace, and a metrics Service.
 */
export class Operator extends Construct {
  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const name = objectName(context, 'operator')
    const labels = standardLabels(context, 'operator', props.version, 'helpdesk-operator')
    const selector = selectorLabels(context, 'operator', 'helpdesk-operator')
    const metadata = { name, labels }
    const subjects = [{ kind: 'ServiceAccount', name, namespace: context.namespace }]

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata,
      automountToken: true,
    })
    this.bind(
      'leader-election',
      { name: `${name}-leader-election`, labels },
      'Role',
      LEADER_ELECTION_RULES,
      subjects,
    )
    if (props.watchAllNamespaces) {
      // Cluster-scoped names must not collide between releases in different namespaces.
      this.bind(
        'operator',
        { name: `${context.namespace}-${name}`, labels },
        'ClusterRole',
        OPERATOR_RULES,
        subjects,
      )
    } else {
      this.bind('operator', metadata, 'Role', OPERATOR_RULES, subjects)
    }

    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata,
      select: false,
      replicas: props.replicas,
      serviceAccount,
      automountServiceAccountToken: true,
      podMetadata: { labels },
      securityContext: restrictedPod(UIDS.helpdesk),
      terminationGracePeriod: Duration.seconds(props.shutdownGraceSeconds + 5),
      containers: [
        {
          name: 'operator',
          image: props.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy ?? 'IfNotPresent'),
          ports: [{ name: 'metrics', number: PORTS.http }],
          envVariables: {
            ...Object.fromEntries(
              Object.entries(props.environment).map(([key, value]) => [
                key,
                kplus.EnvValue.fromValue(value),
              ]),
            ),
            POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
            POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
          },
          volumeMounts: [emptyDirMount(this, 'tmp', '/tmp')],
          securityContext: restrictedContainer(UIDS.helpdesk),
          liveness: kplus.Probe.fromHttpGet('/healthz', {
            port: PORTS.http,
            periodSeconds: Duration.seconds(10),
          }),
          readiness: kplus.Probe.fromHttpGet('/healthz', {
            port: PORTS.http,
            periodSeconds: Duration.seconds(5),
          }),
        },
      ],
    })
    deployment.select(kplus.LabelSelector.of({ labels: selector }))
    patchPod(deployment, {
      podSpecPath: '/spec/template/spec',
      resources: [props.resources],
      imagePullSecrets: props.imagePullSecrets,
      topologySpread: selector,
    })
    const service = new kplus.Service(this, 'service', {
      metadata,
      ports: [{ name: 'metrics', port: PORTS.http, targetPort: PORTS.http }],
    })
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value)
    new ScaledDeploymentPolicies(this, 'policies', {
      name,
      labels,
      selector,
      replicas: { min: props.replicas, max: props.replicas },
    })
    if (props.serviceMonitorInterval !== undefined) {
      new ApiObject(this, 'service-monitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata,
        spec: {
          selector: { matchLabels: selector },
          endpoints: [
            { port: 'metrics', path: '/metrics', interval: props.serviceMonitorInterval },
          ],
        },
      })
    }
  }

  /** A Role or ClusterRole with the rules, bound to the operator's ServiceAccount. */
  private bind(
    id: string,
    metadata: { name: string; labels: Record<string, string> },
    kind: 'Role' | 'ClusterRole',
    rules: PolicyRule[],
    subjects: { kind: string; name: string; namespace: string }[],
  ): void {
    new ApiObject(this, `${id}-role`, { apiVersion: `${RBAC}/v1`, kind, metadata, rules })
    new ApiObject(this, `${id}-binding`, {
      apiVersion: `${RBAC}/v1`,
      kind: `${kind}Binding`,
      metadata,
      roleRef: { apiGroup: RBAC, kind, name: metadata.name },
      subjects,
    })
  }
}
