import { createHash } from 'node:crypto'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * True when every field set in `desired` has the same value in `live`. Fields only `live`
 * has (defaults, status, fields of other managers) do not matter. The API server drops empty
 * maps and lists and zero values, and writes quantities canonically ("0.5" is stored as
 * "500m"), so those count as equal.
 */
export function containsDesired(desired: unknown, live: unknown): boolean {
  return firstDifference(desired, live) === undefined
}

/** The path of the first field where `live` does not hold what `desired` sets, if any. */
export function firstDifference(desired: unknown, live: unknown, path = ''): string | undefined {
  if (desired === undefined || desired === null) return undefined
  const liveIsMissing = live === undefined || live === null
  if (Array.isArray(desired)) {
    if (desired.length === 0) {
      return liveIsMissing || (Array.isArray(live) && live.length === 0) ? undefined : path
    }
    if (!Array.isArray(live) || live.length !== desired.length) return path
    for (const [index, item] of desired.entries()) {
      const difference = firstDifference(item, live[index], `${path}[${index}]`)
      if (difference !== undefined) return difference
    }
    return undefined
  }
  if (isPlainObject(desired)) {
    const liveObject = liveIsMissing ? {} : live
    if (!isPlainObject(liveObject)) return path
    for (const [key, value] of Object.entries(desired)) {
      const difference = firstDifference(value, liveObject[key], path ? `${path}.${key}` : key)
      if (difference !== undefined) return difference
    }
    return undefined
  }
  if (desired === live) return undefined
  // Go's omitempty leaves zero values out of what the API server sends.
  if (liveIsMissing && (desired === 0 || desired === false || desired === '')) return undefined
  const sameQuantities =
    typeof desired === 'string' && typeof live === 'string' && sameQuantity(desired, live)
  return sameQuantities ? undefined : path
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
