// RFC 6238 Appendix B test vectors (8 digits; the seed is the ASCII key repeated to the hash's
// block size), and the base32 encoding authenticator apps use.
import { describe, expect, it } from '@jest/globals'
import {
  fromBase32,
  matchTotp,
  newTotpSecret,
  otpauthUrl,
  toBase32,
  totpCode,
  totpStep,
} from '../../src/accounts/totp.ts'

const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
}

const VECTORS: [number, string, keyof typeof SEEDS][] = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
]

describe('TOTP', () => {
  it.each(VECTORS)('at %i s gives %s with %s (RFC 6238)', (seconds, code, algorithm) => {
    const step = totpStep(seconds * 1000)
    expect(totpCode(SEEDS[algorithm], step, { algorithm, digits: 8 })).toBe(code)
  })

  it('matches codes from one step before or after now, and says which step', () => {
    const secret = SEEDS.sha1
    const now = 1_234_567_890_000
    const step = totpStep(now)
    for (const offset of [-1, 0, 1]) {
      expect(matchTotp(secret, totpCode(secret, step + offset), now)).toBe(step + offset)
    }
    for (const offset of [-2, 2]) {
      expect(matchTotp(secret, totpCode(secret, step + offset), now)).toBeNull()
    }
    expect(matchTotp(secret, 'abcdef', now)).toBeNull()
    expect(matchTotp(secret, '1234567', now)).toBeNull()
  })

  it('encodes secrets in base32 (RFC 4648) both ways', () => {
    expect(toBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI')
    expect(fromBase32('MZXW6YTBOI======').toString()).toBe('foobar')
    const secret = newTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(toBase32(fromBase32(secret))).toBe(secret)
    expect(() => fromBase32('not base32!')).toThrow('base32')
  })

  it('builds the otpauth URL authenticator apps scan', () => {
    const url = new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'ada@example.com', 'Helpdesk'))
    expect(url.protocol).toBe('otpauth:')
    expect(url.host).toBe('totp')
    expect(decodeURIComponent(url.pathname)).toBe('/Helpdesk:ada@example.com')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Helpdesk',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    })
  })
})
