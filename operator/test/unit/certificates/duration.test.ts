import { describe, expect, it } from '@jest/globals'
import { parseGoDuration } from '../../../src/certificates/duration.ts'

describe('parseGoDuration', () => {
  it('reads the units cert-manager accepts, alone and combined', () => {
    expect(parseGoDuration('2160h')).toBe(2160 * 3_600_000)
    expect(parseGoDuration('1h30m')).toBe(90 * 60_000)
    expect(parseGoDuration('1.5h')).toBe(90 * 60_000)
    expect(parseGoDuration('45s')).toBe(45_000)
    expect(parseGoDuration('250ms')).toBe(250)
  })

  it('refuses anything else with the text in the message', () => {
    expect(() => parseGoDuration('90d')).toThrow('"90d" is not a duration')
    expect(() => parseGoDuration('')).toThrow('is not a duration')
    expect(() => parseGoDuration('1h 30m')).toThrow('is not a duration')
  })
})
