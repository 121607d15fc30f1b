import { describe, expect, it } from '@jest/globals'
import { lean } from '../../../src/runtime/informer.ts'

describe('lean (what the caches keep of an object)', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'acme-api',
      namespace: 'shop',
      resourceVersion: '7',
      labels: { 'app.kubernetes.io/instance': 'acme' },
      annotations: {
        'helpdesk.dev/desired-hash': 'abc',
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"apiVersion":"v1","kind":"ConfigMap"}',
      },
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    },
    data: { LOG_LEVEL: 'info' },
  }

  it('drops managedFields and kubectl’s last-applied copy, and keeps everything else', () => {
    expect(lean(object)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'acme-api',
        namespace: 'shop',
        resourceVersion: '7',
        labels: { 'app.kubernetes.io/instance': 'acme' },
        annotations: { 'helpdesk.dev/desired-hash': 'abc' },
      },
      data: { LOG_LEVEL: 'info' },
    })
  })

  it('leaves the object it was given as it was (watch handlers may still hold it)', () => {
    const before = structuredClone(object)
    lean(object)
    expect(object).toEqual(before)
  })

  it('keeps an object without either as it is', () => {
    const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: {} }
    expect(lean(plain)).toEqual(plain)
  })
})
