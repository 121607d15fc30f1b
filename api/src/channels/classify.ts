// What kind of mail this is, from its headers (pure): our own mail come back (a loop), a
// bounce, an automatic answer or bulk mail — none of which is ever answered automatically —
// or a person writing.
import { LOOP_HEADER } from '../mail/addresses.ts'

export type MailKind = 'person' | 'automatic' | 'bounce' | 'loop'

export interface MailHeaders {
  /** Lower-case header names, as mailparser gives them; values as text. */
  get(name: string): string | undefined
  has(name: string): boolean
}

export interface Classification {
  kind: MailKind
  /** Why, for the channel's activity log. */
  reason?: string
}

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply', 'auto-reply'])
const SYSTEM_SENDERS = /^(mailer-daemon|postmaster|noreply|no-reply|do-not-reply|donotreply)@/i

export function classify(
  headers: MailHeaders,
  from: string,
  ownAddresses: ReadonlySet<string>,
  instanceId: string,
): Classification {
  const loop = headers.get(LOOP_HEADER.toLowerCase())
  if (loop?.split(/[\s,]+/).includes(instanceId)) return { kind: 'loop', reason: 'our own mail' }
  if (ownAddresses.has(from.toLowerCase())) return { kind: 'loop', reason: 'from our own address' }
  const contentType = headers.get('content-type') ?? ''
  if (
    /multipart\/report/i.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/i.test(contentType)
  ) {
    return { kind: 'bounce', reason: 'delivery status notification' }
  }
  const returnPath = headers.get('return-path')
  if (returnPath !== undefined && /^\s*<?\s*>?\s*$/.test(returnPath)) {
    return { kind: 'bounce', reason: 'empty return path' }
  }
  if (/^(mailer-daemon|postmaster)@/i.test(from))
    return { kind: 'bounce', reason: 'from a mail system' }
  const autoSubmitted = headers.get('auto-submitted')?.trim().toLowerCase()
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { kind: 'automatic', reason: `Auto-Submitted: ${autoSubmitted}` }
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (headers.has(name)) return { kind: 'automatic', reason: name }
  }
  const precedence = (headers.get('precedence') ?? headers.get('x-precedence'))
    ?.trim()
    .toLowerCase()
  if (precedence && BULK_PRECEDENCE.has(precedence)) {
    return { kind: 'automatic', reason: `Precedence: ${precedence}` }
  }
  if (headers.has('list-id') || headers.has('list-unsubscribe')) {
    return { kind: 'automatic', reason: 'mailing list' }
  }
  if (SYSTEM_SENDERS.test(from)) return { kind: 'automatic', reason: 'from a no-reply address' }
  return { kind: 'person' }
}
