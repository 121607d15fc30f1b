// The operator's guarantees under stress: no writes without changes, taking fields back
// from another field manager, an API server restart, and two replicas.

import { type KubernetesCluster, startKubernetes, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually } from './support/kube.ts'
import { apiRequests, reconciles, settled } from './support/metrics.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf } from './support/play.ts'

const spec = { host: 'help.acme.example' }

function helpdesk(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name, namespace },
    spec,
  }
}
const reference = (namespace: string, name: string) => ({
  apiVersion: 'helpdesk.dev/v1alpha1',
  kind: 'Helpdesk',
  namespace,
  name,
})
const apiDeployment = (namespace: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace,
  name: `${name}-api`,
})

describe('on the shared API server', () => {
  const admin = adminClient()
  const operators: Operator[] = []
  beforeAll(() => installCrds(), 60_000)
  afterAll(async () => {
    await Promise.all(operators.map((operator) => operator.stop()))
    admin.close()
  })

  it('makes no API request at all when a reconcile finds nothing to change', async () => {
    const namespace = await testServices.kubernetes().createNamespace('idempotent')
    const operator = await startTestOperator({ namespaces: [namespace] })
    operators.push(operator)
    await admin.create(helpdesk(namespace, 'acme'))
    await conditionOf(admin, reference(namespace, 'acme'), 'Ready', {
      status: 'False',
      reason: 'RollingOut',
    })
    await settled(operator)

    const before = await apiRequests(operator)
    const reconciled = await reconciles(operator, 'helpdesk')
    operator.resync()
    await eventually(
      'the resync reconcile',
      async () => (await reconciles(operator, 'helpdesk')) > reconciled,
    )
    await settled(operator)
    expect(await apiRequests(operator)).toEqual(before)
  }, 90_000)

  it('takes its fields back from another field manager and leaves that manager’s own fields', async () => {
    const namespace = await testServices.kubernetes().createNamespace('conflict')
    const operator = await startTestOperator({ namespaces: [namespace] })
    operators.push(operator)
    await admin.create(helpdesk(namespace, 'acme'))
    const deployment = apiDeployment(namespace, 'acme')
    await eventually('the API Deployment', () => admin.get(deployment))
    await settled(operator)

    await admin.request('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/acme-api`, {
      query: { fieldManager: 'intruder', force: 'true' },
      contentType: 'application/apply-patch+yaml',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'acme-api',
          labels: { 'app.kubernetes.io/part-of': 'something-else', team: 'support' },
        },
      },
    })
    const restored = await eventually('the operator to restore its label', async () => {
      const live = await admin.get(deployment)
      return live?.metadata.labels?.['app.kubernetes.io/part-of'] === 'helpdesk' ? live : undefined
    })
    expect(restored.metadata.labels?.team).toBe('support')
    const managers = restored.metadata.managedFields as {
      manager: string
      fieldsV1: Record<string, unknown>
    }[]
    const ours = managers.find((entry) => entry.manager === 'helpdesk-operator')
    expect(JSON.stringify(ours?.fieldsV1)).toContain('f:app.kubernetes.io/part-of')
    const theirs = managers.find((entry) => entry.manager === 'intruder')
    expect(JSON.stringify(theirs?.fieldsV1)).not.toContain('f:app.kubernetes.io/part-of')
  }, 90_000)

  it('lets only the leader of two operators reconcile, and the other take over', async () => {
    const namespace = await testServices.kubernetes().createNamespace('leader')
    const first = await startTestOperator({ namespaces: [namespace] })
    operators.push(first)
    await eventually('one operator to lead', () => first.leading)
    const second = await startTestOperator({ namespaces: [namespace] })
    operators.push(second)
    await admin.create(helpdesk(namespace, 'acme'))
    await eventually('the API Deployment', () => admin.get(apiDeployment(namespace, 'acme')))
    await settled(first)
    expect(await reconciles(first, 'helpdesk')).toBeGreaterThan(0)
    expect(second.leading).toBe(false)
    expect(await reconciles(second, 'helpdesk')).toBe(0)
    expect((await apiRequests(second)).mutating).toBe(0)

    await first.stop()
    await eventually('the standby to lead', () => second.leading)
    await admin.patch(reference(namespace, 'acme'), 'merge', {
      spec: { api: { logLevel: 'debug' } },
    })
    await eventually('the new leader to apply the edit', async () => {
      const config = await admin.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: 'acme-api',
      })
      return (config?.data as Record<string, string> | undefined)?.LOG_LEVEL === 'debug'
    })
    // The counter moves when the reconcile that applied the edit has finished.
    await eventually(
      'the new leader’s reconciles to be counted',
      async () => (await reconciles(second, 'helpdesk')) > 0,
    )
  }, 90_000)
})

describe('with a private API server', () => {
  let cluster: KubernetesCluster
  beforeAll(async () => {
    cluster = await startKubernetes()
    await installCrds(cluster)
  }, 180_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('recovers when the API server restarts in the middle of a reconcile', async () => {
    const admin = adminClient(cluster)
    const namespace = await cluster.createNamespace('restart')
    const operator = await startTestOperator({ namespaces: [namespace], cluster })
    try {
      await eventually('the operator to lead', () => operator.leading)
      await admin.create(helpdesk(namespace, 'acme'))
      // The first objects arrive while the rest are still being applied: restart then.
      await eventually(
        'the first applied objects',
        async () =>
          (
            await admin.list('v1', 'Secret', {
              namespace,
              labelSelector: 'app.kubernetes.io/instance=acme',
            })
          ).items.length > 0,
        { intervalMs: 20 },
      )
      await cluster.apiServer.restart()
      const live = await conditionOf(
        admin,
        reference(namespace, 'acme'),
        'Ready',
        { status: 'False', reason: 'RollingOut' },
        90_000,
      )
      expect(live.status).toMatchObject({ observedGeneration: 1 })
      expect(await admin.get(apiDeployment(namespace, 'acme'))).toBeDefined()
      expect(operator.leading).toBe(true)
    } finally {
      await operator.stop()
      admin.close()
    }
  }, 240_000)
})
