// The JSON client against the real API server: the requests the operator depends on.

import { testServices } from '@helpdesk/harness'
import { afterAll, describe, expect, it } from '@jest/globals'
import { ApiError, KubeClient } from '../src/kube/client.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import { OperatorMetrics } from '../src/runtime/metrics.ts'
import { adminClient, kubeConfigFor } from './support/kube.ts'

const client = adminClient()
afterAll(() => client.close())

const configMap = (namespace: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { name },
})

describe('KubeClient', () => {
  it('sends delete options (a stale uid precondition is refused) and keeps the connection usable', async () => {
    const namespace = await testServices.kubernetes().createNamespace('client')
    const created = await client.create<KubeObject>(configMap(namespace, 'a'))
    const reference = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'a' }
    const stale = client.delete(reference, { uid: '00000000-0000-0000-0000-000000000000' })
    await expect(stale).rejects.toMatchObject({ status: 409, reason: 'Conflict' })
    expect(await client.get(reference)).toBeDefined()
    expect(await client.delete(reference, { uid: created.metadata.uid as string })).toBe(true)
    expect(await client.delete(reference)).toBe(false)
    expect((await client.list('v1', 'ConfigMap', { namespace })).items).toEqual([])
  })

  it('lists every page', async () => {
    const namespace = await testServices.kubernetes().createNamespace('pages')
    await Promise.all(
      Array.from({ length: 520 }, (_, index) => client.create(configMap(namespace, `c-${index}`))),
    )
    const list = await client.list('v1', 'ConfigMap', { namespace })
    expect(list.items).toHaveLength(520)
    expect(list.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' })
  })

  it('reports the API server’s reason and an unreachable server alike as ApiError', async () => {
    const namespace = await testServices.kubernetes().createNamespace('errors')
    await client.create(configMap(namespace, 'b'))
    await expect(client.create(configMap(namespace, 'b'))).rejects.toMatchObject({
      status: 409,
      reason: 'AlreadyExists',
    })
    const nowhere = new KubeClient(
      kubeConfigFor({
        server: 'https://127.0.0.1:9',
        ca: testServices.kubernetes().ca,
        token: 'x',
      }),
      new OperatorMetrics(),
      'test',
    )
    await expect(
      nowhere.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'b' }),
    ).rejects.toBeInstanceOf(ApiError)
    await expect(
      nowhere.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'b' }),
    ).rejects.toMatchObject({ status: 0, reason: 'Unreachable' })
    nowhere.close()
  })
})
