// Conditional requests (RFC 9110 §13): strong entity tags on a resource's representation, and
// If-Match on its updates, so that two people editing the same thing cannot silently
// overwrite each other (the second gets 412 and the current ETag).
import { createHash } from 'node:crypto'
import { HttpError } from '../errors.ts'
import { secretText } from './text.ts'

/**
 * `*`, or entity tags (`"abc"`, comma-separated). Anything that names no current tag — an
 * old one, a weak one, or text that is not a tag at all — is a 412: the change is never
 * applied to a version its sender did not see.
 */
export const IfMatch = secretText({ min: 1, max: 1024 }).describe(
  'The ETag the change is based on: 412 unless the resource is still that version',
)

/** A strong entity tag of a representation: it changes whenever any field of it does. */
export function entityTag(representation: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('base64url')
  return `"${digest.slice(0, 27)}"`
}

/**
 * Throws 412 precondition_failed unless `ifMatch` (as sent) names the current tag. Strong
 * comparison, as If-Match requires: a weak tag never matches.
 */
export function assertMatches(ifMatch: string | undefined, current: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return
  const tags = ifMatch.split(',').map((tag) => tag.trim())
  if (tags.includes(current)) return
  throw new HttpError('precondition_failed', {
    detail: 'changed since you read it: read it again (the ETag header here is the current one)',
    headers: { ETag: current },
  })
}
