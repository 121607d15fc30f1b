import { describe, expect, it } from '@jest/globals'
import { childName } from '../../../src/kube/names.ts'

describe('childName', () => {
  it('joins short names', () => {
    expect(childName('acme-20261128-0200', 'backup')).toBe('acme-20261128-0200-backup')
  })

  it('keeps long names within 63 characters, distinct, and ending in the suffix', () => {
    const base = 'a'.repeat(60)
    const one = childName(base, 'backup')
    const other = childName(`${base}b`, 'backup')
    expect(one.length).toBeLessThanOrEqual(63)
    expect(one.endsWith('-backup')).toBe(true)
    expect(one).not.toBe(other)
    expect(one).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  })
})
