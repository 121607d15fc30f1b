// The controller runtime against a real API server: watches that survive an API server
// restart, and leader election on a real Lease.

import { type KubernetesCluster, startKubernetes, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeClient } from '../src/kube/client.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import { systemClock } from '../src/runtime/clock.ts'
import { Informer } from '../src/runtime/informer.ts'
import { LeaderElector } from '../src/runtime/leader-election.ts'
import { OperatorMetrics } from '../src/runtime/metrics.ts'
import { adminClient, eventually, kubeConfigFor } from './support/kube.ts'
import { testLogger } from './support/silent-logger.ts'

const configMap = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { watched: 'yes' } },
  data: { name },
})

describe('Informer', () => {
  let cluster: KubernetesCluster
  beforeAll(async () => {
    cluster = await startKubernetes()
  }, 180_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('keeps its cache current across an API server restart', async () => {
    const namespace = await cluster.createNamespace('informer')
    const metrics = new OperatorMetrics()
    const config = kubeConfigFor(cluster)
    const client = new KubeClient(config, metrics, 'caches')
    await client.create(configMap(namespace, 'before'))
    await client.create({
      ...configMap(namespace, 'unlabelled'),
      metadata: { name: 'unlabelled', namespace },
    })
    const informer = new Informer<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespaces: [namespace],
      labelSelector: 'watched=yes',
      config,
      client,
      metrics,
      logger: testLogger,
      backoff: { baseMs: 200, maxMs: 1_000 },
    })
    const seen: string[] = []
    informer.onChange((object) => seen.push(object.metadata.name))
    informer.start()
    await informer.waitForSync()
    expect(informer.list(namespace).map((object) => object.metadata.name)).toEqual(['before'])
    // Cached objects leave managedFields out: often their largest part, and never read.
    expect(informer.get(namespace, 'before')?.metadata.managedFields).toBeUndefined()

    const admin = adminClient(cluster)
    try {
      await cluster.apiServer.restart()
      await admin.create(configMap(namespace, 'after'))
      await eventually('the informer sees an object created after the restart', () =>
        informer.get(namespace, 'after'),
      )
      expect(seen).toContain('after')
      const restarts = await metrics.informerRestarts.get()
      expect(restarts.values[0]?.value ?? 0).toBeGreaterThan(0)
    } finally {
      await informer.stop()
      client.close()
      admin.close()
    }
  }, 180_000)
})

describe('LeaderElector', () => {
  const timing = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 200 }

  const clients: KubeClient[] = []
  afterAll(() => {
    for (const client of clients) client.close()
  })

  function candidate(namespace: string, identity: string, log: string[]) {
    const client = adminClient()
    clients.push(client)
    const elector = new LeaderElector({
      client,
      namespace,
      name: 'helpdesk-operator',
      identity,
      ...timing,
      clock: systemClock,
      logger: testLogger,
      onStartedLeading: () => log.push(`${identity} leads`),
      onStoppedLeading: () => log.push(`${identity} stops`),
    })
    elector.start()
    return elector
  }

  it('lets exactly one of two candidates lead, and hands over when the leader stops', async () => {
    const namespace = await testServices.kubernetes().createNamespace('election')
    const log: string[] = []
    const a = candidate(namespace, 'a', log)
    await eventually('a to lead', () => a.leading)
    const b = candidate(namespace, 'b', log)
    // Several lease durations: b never takes over while a renews.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * timing.leaseDurationMs))
    expect(b.leading).toBe(false)
    expect(log).toEqual(['a leads'])

    await a.stop()
    // Released, not abandoned: the Lease no longer names a, so b need not wait out its duration.
    const admin = adminClient()
    clients.push(admin)
    const lease = await admin.get<KubeObject & { spec: { holderIdentity?: string | null } }>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace,
      name: 'helpdesk-operator',
    })
    expect(lease?.spec.holderIdentity).not.toBe('a')
    await eventually('b to take over', () => b.leading)
    expect(log).toEqual(['a leads', 'a stops', 'b leads'])
    await b.stop()
  }, 60_000)

  it('takes over a lease whose holder stopped renewing, only after the lease duration', async () => {
    const namespace = await testServices.kubernetes().createNamespace('election')
    const admin = adminClient()
    clients.push(admin)
    await admin.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'helpdesk-operator', namespace },
      spec: {
        holderIdentity: 'crashed',
        leaseDurationSeconds: 2,
        renewTime: new Date().toISOString().replace('Z', '000Z'),
      },
    })
    const log: string[] = []
    const startedAt = Date.now()
    const b = candidate(namespace, 'b', log)
    await eventually('b to take over the abandoned lease', () => b.leading)
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2_000)
    const lease = await admin.get<
      KubeObject & { spec: { holderIdentity: string; leaseTransitions: number } }
    >({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace,
      name: 'helpdesk-operator',
    })
    expect(lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 })
    await b.stop()
  }, 60_000)
})
