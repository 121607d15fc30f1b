import { createHash } from 'node:crypto'

/**
 * JSON exactly as Go's encoding/json writes it for map[string]interface{} — keys sorted,
 * <, >, & and U+2028/U+2029 escaped — so that a hash computed here equals Helm's
 * `toJson | sha256sum` over the same object.
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goString(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot encode ${value} as JSON`)
    return goNumber(value)
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareBytes(a, b))
    return `{${entries.map(([key, item]) => `${goString(key)}:${goJson(item)}`).join(',')}}`
  }
  throw new Error(`cannot encode ${typeof value} as JSON`)
}

/** sha256 (hex) of goJson(value); Helm: `toJson | sha256sum`. */
export function contentSha256(value: unknown): string {
  return createHash('sha256').update(goJson(value)).digest('hex')
}

const GO_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

function goString(text: string): string {
  let out = '"'
  for (const char of text) {
    const escaped = GO_ESCAPES[char]
    if (escaped) out += escaped
    else if (char < ' ') out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
    else out += char
  }
  return `${out}"`
}

// Helm decodes YAML numbers into float64; Go prints those like JavaScript does between
// 1e-6 and 1e21 and with an exponent outside that range (1e+21, 1e-07).
function goNumber(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude !== 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string]
    const sign = exponent.startsWith('-') ? '-' : '+'
    const digits = exponent.replace(/^[-+]/, '').padStart(2, '0')
    return `${mantissa}e${sign}${digits}`
  }
  return String(value)
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
