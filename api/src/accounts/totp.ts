// TOTP (RFC 6238) over HOTP (RFC 4226), as authenticator apps implement it: HMAC-SHA-1,
// 6 digits, 30-second steps, secrets shown in base32.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const TOTP_STEP_SECONDS = 30
export const TOTP_DIGITS = 6
/** Codes from one step before or after now are accepted: clocks drift, people type slowly. */
const DRIFT_STEPS = 1

export interface TotpOptions {
  algorithm?: 'sha1' | 'sha256' | 'sha512'
  digits?: number
}

export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / TOTP_STEP_SECONDS)
}

/** The code of one time step (RFC 4226 dynamic truncation of HMAC(secret, step)). */
export function totpCode(secret: Buffer, step: number, options: TotpOptions = {}): string {
  const digits = options.digits ?? TOTP_DIGITS
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac(options.algorithm ?? 'sha1', secret)
    .update(counter)
    .digest()
  const offset = (mac.at(-1) as number) & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/**
 * The time step a code belongs to, within the drift window around `atMs`, or null. The caller
 * must refuse a step at or before the last one it accepted: that is a replayed code.
 */
export function matchTotp(secret: Buffer, code: string, atMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const now = totpStep(atMs)
  let matched: number | null = null
  // Every candidate is compared, so the time taken does not depend on which one matches.
  for (let step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
    if (timingSafeEqual(Buffer.from(totpCode(secret, step)), Buffer.from(code))) matched = step
  }
  return matched
}

/** 160 random bits, the size RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): string {
  return toBase32(randomBytes(20))
}

export function otpauthUrl(secret: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  })
  return `otpauth://totp/${label}?${query}`
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function toBase32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

export function fromBase32(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase()
  const bytes: number[] = []
  let bits = 0
  let value = 0
  for (const char of clean) {
    const index = BASE32.indexOf(char)
    if (index < 0) throw new Error('not base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}
