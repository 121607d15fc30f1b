import { createHash } from 'node:crypto'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * True when every field set in `desired` has the same value in `live`. Fields only `live`
 * has (defaults, status, fields of other managers) do not matter. The API server drops empty
 * maps and lists and writes quantities canonically ("0.5" is stored as "500m"), so those
 * count as equal.
 */
export function containsDesired(desired: unknown, live: unknown): boolean {
  if (desired === undefined || desired === null) return true
  const liveIsMissing = live === undefined || live === null
  if (Array.isArray(desired)) {
    if (desired.length === 0) return liveIsMissing || (Array.isArray(live) && live.length === 0)
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item, index) => containsDesired(item, live[index]))
    )
  }
  if (isPlainObject(desired)) {
    const liveObject = liveIsMissing ? {} : live
    if (!isPlainObject(liveObject)) return false
    return Object.entries(desired).every(([key, value]) => containsDesired(value, liveObject[key]))
  }
  if (desired === live) return true
  return typeof desired === 'string' && typeof live === 'string' && sameQuantity(desired, live)
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/
const SUFFIX_FACTORS: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
}

/** The value of a Kubernetes resource quantity ("512Mi", "0.5", "250m"), or undefined. */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY.exec(text)
  if (!match) return undefined
  const [, number, exponent, suffix] = match
  const value = Number(`${number}${exponent ?? ''}`)
  return suffix ? value * (SUFFIX_FACTORS[suffix] as number) : value
}

function sameQuantity(a: string, b: string): boolean {
  const left = quantityValue(a)
  const right = quantityValue(b)
  if (left === undefined || right === undefined) return false
  return Math.abs(left - right) <= Number.EPSILON * Math.max(1, Math.abs(left), Math.abs(right))
}

/** JSON with object keys sorted: equal values give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value as Json))
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isPlainObject(value)) return value
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => [key, sortKeys(value[key] as Json)]),
  )
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
