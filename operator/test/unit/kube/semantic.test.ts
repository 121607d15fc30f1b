import { describe, expect, it } from '@jest/globals'
import { canonicalJson, containsDesired, quantityValue } from '../../../src/kube/semantic.ts'

describe('containsDesired', () => {
  const live = {
    metadata: { name: 'acme-api', labels: { a: '1', other: 'x' }, resourceVersion: '7' },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: 'api',
              image: 'api:1',
              resources: { limits: { cpu: '1', memory: '512Mi' } },
              terminationMessagePath: '/dev/termination-log',
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
    status: { replicas: 2 },
  }

  it('ignores what only the live object has: defaults, status, other managers’ fields', () => {
    expect(
      containsDesired(
        {
          metadata: { name: 'acme-api', labels: { a: '1' } },
          spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
        },
        live,
      ),
    ).toBe(true)
  })

  it('sees a changed value, however deep', () => {
    expect(
      containsDesired(
        { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } } },
        live,
      ),
    ).toBe(false)
    expect(containsDesired({ metadata: { labels: { a: '2' } } }, live)).toBe(false)
  })

  it('sees a list of another length', () => {
    expect(
      containsDesired(
        { spec: { template: { spec: { volumes: [{ name: 'tmp' }, { name: 'cache' }] } } } },
        live,
      ),
    ).toBe(false)
  })

  it('treats empty maps and lists as equal to absent ones, and empty structs as matching', () => {
    expect(
      containsDesired({ metadata: { annotations: {} }, spec: { tolerations: [] } }, live),
    ).toBe(true)
    expect(
      containsDesired(
        { spec: { template: { spec: { volumes: [{ name: 'tmp', emptyDir: {} }] } } } },
        live,
      ),
    ).toBe(true)
    expect(containsDesired({ spec: { tolerations: [{ key: 'x' }] } }, live)).toBe(false)
  })

  it('treats zero values as equal to absent ones, as omitempty drops them', () => {
    expect(
      containsDesired({ spec: { minReadySeconds: 0, paused: false, serviceName: '' } }, live),
    ).toBe(true)
    expect(containsDesired({ spec: { minReadySeconds: 5 } }, live)).toBe(false)
  })

  it('compares quantities by value, as the API server rewrites them', () => {
    const limits = (cpu: string, memory: string) => ({
      spec: { template: { spec: { containers: [{ resources: { limits: { cpu, memory } } }] } } },
    })
    expect(containsDesired(limits('1000m', '0.5Gi'), live)).toBe(true)
    expect(containsDesired(limits('1', '512Mi'), live)).toBe(true)
    expect(containsDesired(limits('2', '512Mi'), live)).toBe(false)
  })
})

describe('quantityValue', () => {
  it('reads decimal and binary suffixes and exponents', () => {
    expect(quantityValue('250m')).toBeCloseTo(0.25)
    expect(quantityValue('2k')).toBe(2000)
    expect(quantityValue('1Ki')).toBe(1024)
    expect(quantityValue('1.5Gi')).toBe(1.5 * 2 ** 30)
    expect(quantityValue('1e3')).toBe(1000)
    expect(quantityValue('nginx')).toBeUndefined()
  })
})

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    )
  })
})
