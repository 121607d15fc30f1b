// What the API accepts as text, defined once. Every text input goes through one of these, so
// a control character is a 400 validation_error at the schema layer (Postgres would refuse a
// NUL later and report it as a failed query), and the OpenAPI document states exactly what is
// enforced: the same pattern (in syntax every JSON Schema tool reads: no \p{...}) and lengths
// in characters (code points, as JSON Schema counts them), checked before anything is trimmed.
import { z } from 'zod'

/** C0 and C1 control characters. */
const CONTROL = '\\x00-\\x1F\\x7F-\\x9F'
/** Controls in multi-line text: all but tab, line feed and carriage return. */
const CONTROL_IN_LINES = '\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F'
/** The spaces String.prototype.trim removes that are not control characters. */
const SPACE = ' \\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF'

const anchored = (source: string) => new RegExp(`^${source}$`)

/** No control characters, and at least one character that is not a space. */
const SINGLE_LINE = anchored(`[${SPACE}]*[^${SPACE}${CONTROL}][^${CONTROL}]*`)
const MULTI_LINE = anchored(
  `[${SPACE}\\t\\n\\r]*[^${SPACE}\\t\\n\\r${CONTROL_IN_LINES}][^${CONTROL_IN_LINES}]*`,
)
/** No control characters; may be empty or blank (passwords are taken as typed). */
const NO_CONTROL = anchored(`[^${CONTROL}]*`)

/** Characters as JSON Schema counts them: code points, not UTF-16 units. */
export function characters(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}

interface Limits {
  max: number
  min?: number
}

/**
 * A string with a pattern and limits in characters, described in the OpenAPI document
 * exactly as checked.
 */
function text(pattern: RegExp, message: string, { max, min = 0 }: Limits) {
  return z
    .string()
    .refine((value) => pattern.test(value), message)
    .refine((value) => characters(value) >= min, `at least ${min} characters`)
    .refine((value) => characters(value) <= max, `at most ${max} characters`)
    .meta({ pattern: pattern.source, maxLength: max, ...(min > 0 ? { minLength: min } : {}) })
}

/** A name, subject or search: one line, not blank; stored without surrounding spaces. */
export function singleLine(limits: Limits) {
  return text(
    SINGLE_LINE,
    'one line of text, not blank, without control characters',
    limits,
  ).transform((value) => value.trim())
}

/** Text with line breaks (message bodies), not blank; stored exactly as sent. */
export function multiLine(limits: Limits) {
  return text(
    MULTI_LINE,
    'text that is not blank, without control characters other than tabs and line breaks',
    limits,
  )
}

/** A secret (a password), taken exactly as typed: anything but control characters. */
export function secretText(limits: Limits) {
  return text(NO_CONTROL, 'no control characters', limits)
}

/** Text in a syntax of its own that another schema reads (a saved query string); may be empty. */
export function encodedText(limits: Limits) {
  return text(NO_CONTROL, 'no control characters', limits)
}

/** Any other text of a fixed shape, e.g. `^\d{6}$`: `pattern` must be in portable syntax. */
export function shaped(pattern: RegExp, message: string, limits: Limits) {
  return text(pattern, message, limits)
}

const YEAR = '(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])'
const LEAP_YEAR =
  '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)'
const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))'
const TIME = '(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?'
/** Postgres reads offsets up to ±15:59 (RFC 3339 allows ±23:59; real ones are within ±14:00). */
const OFFSET = '(?:Z|[+-](?:0[0-9]|1[0-5]):[0-5][0-9])'
const TIMESTAMP = anchored(`(?:${LEAP_YEAR}-02-29|${YEAR}-${MONTH_DAY})T${TIME}${OFFSET}`)

/**
 * An RFC 3339 timestamp with an offset, of a day that exists (leap years included) in years
 * 1 to 9999, its offset within ±15:59: every one of them is a time Postgres reads and stores.
 */
export const Timestamp = text(
  TIMESTAMP,
  'an RFC 3339 date-time such as 2026-12-06T10:00:00Z (offsets within ±15:59)',
  { max: 40 },
).meta({ format: 'date-time' })
