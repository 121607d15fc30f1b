import {
  helpdeskCrds,
  leaderElectionRules,
  METRICS_AUTH_RULES,
  OPERATOR_RULES,
} from '@helpdesk/cdk8s'
import { type KubernetesInfo, kubeRequest, testServices, uniqueId } from '@helpdesk/harness'
import type { KubeConfig } from '@kubernetes/client-node'
import { Operator } from '../../src/operator.ts'
import type { Clock } from '../../src/runtime/clock.ts'
import { eventually, kubeConfigFor } from './kube.ts'
import { testLogger } from './silent-logger.ts'

async function admin(cluster: KubernetesInfo, method: string, path: string, body?: unknown) {
  const response = await kubeRequest(cluster, method, path, body)
  if (response.status >= 300 && !(method === 'POST' && response.status === 409)) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`)
  }
  return response.body
}

/** The CRDs exactly as the operator chart ships them, installed once per API server. */
export async function installCrds(
  cluster: KubernetesInfo = testServices.kubernetes(),
): Promise<void> {
  for (const crd of helpdeskCrds()) {
    await admin(
      cluster,
      'PATCH',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=helpdesk-tests&force=true`,
      crd,
    ).catch(async () =>
      admin(cluster, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd),
    )
    await eventually(`CRD ${crd.metadata.name} to be established`, async () => {
      const live = (
        await kubeRequest(
          cluster,
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        )
      ).body as {
        status?: { conditions?: { type: string; status: string }[] }
      }
      return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
    })
  }
}

/**
 * A kubeconfig for a fresh ServiceAccount bound to exactly the operator chart's RBAC rules
 * (cluster-wide rules through a ClusterRole, the Lease rules through a Role in
 * `leaseNamespace`), authenticated with a TokenRequest token: the operator under test has
 * what it would have in a cluster, and nothing more.
 */
export async function operatorKubeConfig(
  leaseNamespace: string,
  cluster: KubernetesInfo = testServices.kubernetes(),
  leaseName = 'helpdesk-operator',
): Promise<KubeConfig> {
  const token = await operatorToken(leaseNamespace, cluster, leaseName)
  return kubeConfigFor({ server: cluster.server, ca: cluster.ca, token })
}

/** A token of a fresh ServiceAccount with the operator chart's RBAC (see operatorKubeConfig). */
export async function operatorToken(
  leaseNamespace: string,
  cluster: KubernetesInfo,
  leaseName = 'helpdesk-operator',
): Promise<string> {
  const name = `helpdesk-operator-${uniqueId()}`
  const subject = [{ kind: 'ServiceAccount', name, namespace: leaseNamespace }]
  await admin(cluster, 'POST', `/api/v1/namespaces/${leaseNamespace}/serviceaccounts`, {
    metadata: { name },
  })
  await admin(cluster, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    metadata: { name },
    rules: [...OPERATOR_RULES, ...METRICS_AUTH_RULES],
  })
  await admin(cluster, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: subject,
  })
  await admin(
    cluster,
    'POST',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${leaseNamespace}/roles`,
    {
      metadata: { name },
      rules: leaderElectionRules(leaseName),
    },
  )
  await admin(
    cluster,
    'POST',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${leaseNamespace}/rolebindings`,
    {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: subject,
    },
  )
  const token = (await admin(
    cluster,
    'POST',
    `/api/v1/namespaces/${leaseNamespace}/serviceaccounts/${name}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    },
  )) as { status: { token: string } }
  return token.status.token
}

export interface TestOperatorOptions {
  /** Namespaces to watch; the first also holds the Lease. */
  namespaces: string[]
  clock?: Clock
  cluster?: KubernetesInfo
  leaseName?: string
  leaseDurationMs?: number
  /** The operator's own version. @default the product version */
  version?: string
  /** @default 60 s */
  upgradeIntervalMs?: number
}

/** An operator running under the chart's RBAC, with timings short enough for tests. */
export async function startTestOperator(options: TestOperatorOptions): Promise<Operator> {
  const [leaseNamespace] = options.namespaces
  if (!leaseNamespace) throw new Error('startTestOperator needs a namespace')
  const leaseDurationMs = options.leaseDurationMs ?? 10_000
  const operator = new Operator({
    kubeConfig: await operatorKubeConfig(
      leaseNamespace,
      options.cluster,
      options.leaseName ?? 'helpdesk-operator',
    ),
    watchNamespaces: options.namespaces,
    leaderElection: {
      namespace: leaseNamespace,
      name: options.leaseName ?? 'helpdesk-operator',
      identity: `test-${uniqueId()}`,
      leaseDurationMs,
      renewDeadlineMs: (leaseDurationMs * 2) / 3,
      retryPeriodMs: 200,
    },
    concurrency: 2,
    resyncIntervalMs: 60_000,
    logger: testLogger,
    clock: options.clock,
    version: options.version,
    upgradeIntervalMs: options.upgradeIntervalMs,
    backoff: {
      reconcile: { baseMs: 100, maxMs: 2_000 },
      informer: { baseMs: 200, maxMs: 2_000 },
    },
  })
  operator.start()
  return operator
}
