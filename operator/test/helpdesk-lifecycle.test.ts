// A Helpdesk from creation to deletion, reconciled by an operator that runs under the
// operator chart's RBAC against the real API server.

import { OPERATOR_MANAGER, renderHelpdesk } from '@helpdesk/cdk8s'
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FIELD_MANAGER } from '../src/kube/client.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually, field } from './support/kube.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf, markRolledOut } from './support/play.ts'

const admin = adminClient()
let namespace: string
let operator: Operator

const helpdeskRef = (name: string) => ({
  apiVersion: 'helpdesk.dev/v1alpha1',
  kind: 'Helpdesk',
  namespace,
  name,
})

beforeAll(async () => {
  await installCrds()
  namespace = await testServices.kubernetes().createNamespace('lifecycle')
  operator = await startTestOperator({ namespaces: [namespace] })
}, 60_000)

afterAll(async () => {
  await operator?.stop()
  admin.close()
})

async function createHelpdesk(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
  return admin.create({
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name, namespace },
    spec,
  })
}

/** The objects the operator keeps for the Helpdesk, as "Kind/name". */
async function managedObjects(name: string): Promise<string[]> {
  const kinds = [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'ServiceAccount'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['batch/v1', 'Job'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
  ] as const
  const found: string[] = []
  for (const [apiVersion, kind] of kinds) {
    const list = await admin.list(apiVersion, kind, {
      namespace,
      labelSelector: `app.kubernetes.io/managed-by=${OPERATOR_MANAGER},app.kubernetes.io/instance=${name}`,
    })
    found.push(...list.items.map((item) => `${kind}/${item.metadata.name}`))
  }
  return found.sort()
}

describe('a Helpdesk', () => {
  const spec = { host: 'help.acme.example' }

  it('is applied completely, owned, and reports its conditions', async () => {
    const helpdesk = await createHelpdesk('acme', spec)
    const rendered = (
      renderHelpdesk({
        name: 'acme',
        namespace,
        spec: spec as never,
        managedBy: OPERATOR_MANAGER,
      }) as KubeObject[]
    ).map((object) => `${object.kind}/${object.metadata.name}`)
    const expected = [
      ...rendered,
      'Secret/acme-ca',
      'Secret/acme-tls',
      'Secret/acme-postgres-tls',
      'Secret/acme-redis-tls',
    ].sort()
    await eventually('every rendered object to exist', async () => {
      const found = await managedObjects('acme')
      return expected.every((object) => found.includes(object)) ? found : undefined
    })
    expect(await managedObjects('acme')).toEqual(expected)

    const api = await admin.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: 'acme-api',
    })
    expect(api?.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Helpdesk',
        name: 'acme',
        uid: helpdesk.metadata.uid,
        controller: true,
      }),
    ])
    const managers = field<{ manager: string }[]>(api, 'metadata', 'managedFields') ?? []
    expect(managers.map((entry) => entry.manager)).toContain(FIELD_MANAGER)

    const live = await conditionOf(admin, helpdeskRef('acme'), 'Ready', {
      status: 'False',
      reason: 'RollingOut',
    })
    expect(live.metadata.finalizers).toContain('helpdesk.dev/finalizer')
    expect(live.status).toMatchObject({ observedGeneration: 1, url: 'https://help.acme.example' })
    const conditions = Object.fromEntries(
      (live.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]),
    )
    expect(conditions).toEqual({
      Ready: ['False', 'RollingOut'],
      Progressing: ['True', 'RollingOut'],
      Degraded: ['False', 'AsExpected'],
      DatabaseReady: ['False', 'NotAvailable'],
      BackupHealthy: ['Unknown', 'NotConfigured'],
      CertificatesReady: ['True', 'CertificatesValid'],
    })
  })

  it('becomes Ready once its workloads have rolled out', async () => {
    for (const workload of await workloads('acme')) await markRolledOut(admin, workload)
    const live = await conditionOf(admin, helpdeskRef('acme'), 'Ready', {
      status: 'True',
      reason: 'Ready',
    })
    expect(live.status).toMatchObject({ version: expect.any(String) })
    const events = await admin.list('v1', 'Event', { namespace })
    expect(events.items.map((event) => event.reason)).toEqual(
      expect.arrayContaining(['Applied', 'Certificates']),
    )
  })

  it('follows a spec edit and observes the new generation', async () => {
    await admin.patch(helpdeskRef('acme'), 'merge', { spec: { api: { logLevel: 'debug' } } })
    await eventually('the API to run with the new log level', async () => {
      const api = await admin.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: 'acme-api',
      })
      return JSON.stringify(api?.spec).includes('"debug"')
    })
    const live = await conditionOf(admin, helpdeskRef('acme'), 'Ready', {
      status: 'False',
      reason: 'RollingOut',
    })
    expect(live.status).toMatchObject({ observedGeneration: 2 })
    expect(
      live.status?.conditions?.every(
        (condition) => (condition as { observedGeneration?: number }).observedGeneration === 2,
      ),
    ).toBe(true)
  })

  it('prunes the objects of a component that is switched off', async () => {
    await admin.patch(helpdeskRef('acme'), 'merge', { spec: { networkPolicy: { enabled: false } } })
    await eventually('the NetworkPolicies to be gone', async () =>
      (await managedObjects('acme')).every((object) => !object.startsWith('NetworkPolicy/')),
    )
    const events = await admin.list('v1', 'Event', { namespace })
    expect(events.items.map((event) => event.reason)).toContain('Pruned')
  })

  it('refuses an invalid spec at admission, with the reason', async () => {
    await expect(createHelpdesk('broken', { host: 'Not A Host!' })).rejects.toThrow(/host/)
    await expect(
      createHelpdesk('both', {
        host: 'b.example',
        database: {
          managed: {},
          external: { host: 'db.example', passwordSecretRef: { name: 'db' } },
        },
      }),
    ).rejects.toThrow(/exactly one/)
  })

  it('reports what only the operator can find wrong in a spec as Ready=False and an Event', async () => {
    await createHelpdesk('odd', {
      host: 'odd.example',
      certificates: { duration: '24h', renewBefore: '48h' },
    })
    const live = await conditionOf(admin, helpdeskRef('odd'), 'Ready', {
      status: 'False',
      reason: 'InvalidSpec',
    })
    const ready = live.status?.conditions?.find((condition) => condition.type === 'Ready')
    expect(ready?.message).toBe(
      'certificates.renewBefore (48h) must be shorter than certificates.duration (24h)',
    )
    const events = (await admin.list('v1', 'Event', { namespace })).items as (KubeObject & {
      reason: string
      involvedObject: { name: string }
    })[]
    expect(
      events.some((event) => event.reason === 'InvalidSpec' && event.involvedObject.name === 'odd'),
    ).toBe(true)
    expect(await managedObjects('odd')).toEqual([])
    await admin.delete(helpdeskRef('odd'))
  })

  it('reports a kind the cluster does not serve as the reason it is not Ready', async () => {
    await createHelpdesk('routed', {
      host: 'routed.example',
      ingress: { gateway: { parentRefs: [{ name: 'shared-gateway' }] } },
    })
    const live = await conditionOf(admin, helpdeskRef('routed'), 'Ready', {
      status: 'False',
      reason: 'ApplyFailed',
    })
    const ready = live.status?.conditions?.find((condition) => condition.type === 'Ready')
    expect(ready?.message).toContain(
      'does not serve gateway.networking.k8s.io/v1 HTTPRoute; install the CRD that provides it',
    )
    expect(
      live.status?.conditions?.find((condition) => condition.type === 'Degraded'),
    ).toMatchObject({
      status: 'True',
      reason: 'ApplyFailed',
    })
    await admin.delete(helpdeskRef('routed'))
  })

  it('cleans up everything it created when deleted, and lets the deletion finish', async () => {
    await admin.delete(helpdeskRef('acme'))
    await eventually(
      'the Helpdesk to be gone',
      async () => (await admin.get(helpdeskRef('acme'))) === undefined,
    )
    expect(await managedObjects('acme')).toEqual([])
  })
})

describe('deleting a Helpdesk whose volumes remain', () => {
  const secretRef = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name })

  it('keeps its generated credentials, and a Helpdesk of the same name finds them again', async () => {
    await createHelpdesk('keep', { host: 'keep.example' })
    const before = await eventually('the generated Postgres password', async () =>
      admin.get(secretRef('keep-postgres-auth')),
    )
    expect(before.metadata.ownerReferences ?? []).toEqual([])
    // What the StatefulSet controller would create from the claim template (and keep).
    await admin.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data-keep-postgres-0',
        namespace,
        labels: {
          'app.kubernetes.io/name': 'helpdesk',
          'app.kubernetes.io/instance': 'keep',
          'app.kubernetes.io/component': 'postgres',
        },
      },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    })
    await admin.delete(helpdeskRef('keep'))
    await eventually(
      'the Helpdesk to be gone',
      async () => (await admin.get(helpdeskRef('keep'))) === undefined,
    )
    expect(await managedObjects('keep')).toEqual([
      'Secret/keep-admin',
      'Secret/keep-app-keys',
      'Secret/keep-minio-auth',
      'Secret/keep-postgres-auth',
      'Secret/keep-redis-auth',
    ])
    await createHelpdesk('keep', { host: 'keep.example' })
    await eventually('the Postgres StatefulSet again', async () =>
      admin.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: 'keep-postgres' }),
    )
    const after = await admin.get(secretRef('keep-postgres-auth'))
    expect(after?.data).toEqual(before.data)
    expect(after?.metadata.uid).toBe(before.metadata.uid)
  })

  it('lets the credentials go with the last volume', async () => {
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace,
      name: 'data-keep-postgres-0',
    }
    // No controller-manager here lifts the pvc-protection finalizer: do it as it would.
    await admin.patch(claim, 'merge', { metadata: { finalizers: null } })
    await admin.delete(claim)
    await admin.delete(helpdeskRef('keep'))
    await eventually(
      'every object of the Helpdesk to be gone',
      async () =>
        (await admin.get(helpdeskRef('keep'))) === undefined &&
        (await managedObjects('keep')).length === 0,
    )
  })
})

describe('deleting a Helpdesk on an external database', () => {
  it('keeps the application keys, which seal data the database still holds', async () => {
    const spec = {
      host: 'outside.example',
      database: { external: { host: 'db.example', passwordSecretRef: { name: 'db' } } },
    }
    await createHelpdesk('outside', spec)
    const keys = await eventually('the generated application keys', async () =>
      admin.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'outside-app-keys' }),
    )
    await admin.delete(helpdeskRef('outside'))
    await eventually(
      'the Helpdesk to be gone',
      async () => (await admin.get(helpdeskRef('outside'))) === undefined,
    )
    // Redis and MinIO passwords protected nothing that remains; the keys do.
    expect(await managedObjects('outside')).toEqual(['Secret/outside-app-keys'])
    await createHelpdesk('outside', spec)
    await eventually('the API Deployment again', async () =>
      admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'outside-api' }),
    )
    const again = await admin.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace,
      name: 'outside-app-keys',
    })
    expect(again?.data).toEqual(keys.data)
  })
})

async function workloads(name: string) {
  const found = []
  for (const kind of ['Deployment', 'StatefulSet'] as const) {
    const list = await admin.list('apps/v1', kind, {
      namespace,
      labelSelector: `app.kubernetes.io/instance=${name}`,
    })
    found.push(
      ...list.items.map((item) => ({
        apiVersion: 'apps/v1',
        kind,
        namespace,
        name: item.metadata.name,
      })),
    )
  }
  return found
}
