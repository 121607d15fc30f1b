import { describe, expect, it } from '@jest/globals'
import { leanObject, StringTable } from '../../../src/runtime/lean-objects.ts'

/** A Deployment as the API server sends it: fresh from JSON.parse, as a watch hands it on. */
function deployment(name: string, uid: string) {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: 'support',
        uid,
        resourceVersion: `rv-${uid}`,
        creationTimestamp: '2026-12-08T03:00:00Z',
        labels: { 'app.kubernetes.io/managed-by': 'helpdesk-operator' },
        annotations: { 'helpdesk.dev/config-hash': 'x'.repeat(100) },
        managedFields: [{ manager: 'helpdesk-operator', operation: 'Apply' }],
      },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', args: ['serve'] }] } } },
    }),
  ) as { metadata: Record<string, unknown> }
}

describe('leanObject', () => {
  it('drops managedFields and keeps everything else as it was', () => {
    const sent = deployment('api', 'uid-1')
    const { managedFields: _dropped, ...metadata } = deployment('api', 'uid-1').metadata
    expect(leanObject(sent, new StringTable())).toEqual({ ...deployment('api', 'uid-1'), metadata })
  })

  it('keeps one copy of each short string, none of unique fields or long strings', () => {
    const table = new StringTable()
    leanObject(deployment('api', 'uid-1'), table)
    const afterOne = table.size
    leanObject(deployment('api', 'uid-2'), table)
    // The second object's short strings were all known: only unique fields differ, and they
    // are never interned (nor is the 100-character annotation).
    expect(table.size).toBe(afterOne)
    // apps/v1, Deployment, api, support, helpdesk-operator, serve (the array item).
    expect(afterOne).toBe(6)
  })

  it('starts the table over when it is full, so deleted objects cannot grow it for ever', () => {
    const table = new StringTable(4)
    for (let index = 0; index < 10; index++) table.intern(`name-${index}`)
    expect(table.size).toBeLessThanOrEqual(4)
    expect(table.intern('name-9')).toBe('name-9')
  })
})
