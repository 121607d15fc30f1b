// What of a mail's text is new (pure): replies carry the whole conversation below the answer,
// which the ticket already shows. The text is cut at the first sign of quoted history — our
// reply marker, "On ... wrote:", an Outlook header block, a forwarded-message line — and a
// trailing block of "> " lines or a "-- " signature goes too. The whole text is kept beside it.
import { REPLY_MARKER } from '../mail/templates.ts'

const CUT_LINES: RegExp[] = [
  /^\s*##- .* -##\s*$/,
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Am\b.{0,300}\bschrieb.{0,80}:\s*$/i,
  /^\s*Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
]

/** Outlook: "From: ..." followed within a few lines by "Sent:" or "Date:" and "Subject:". */
function startsOutlookHeader(lines: string[], index: number): boolean {
  if (!/^\s*\*?From:\*?\s/i.test(lines[index] ?? '')) return false
  const next = lines.slice(index + 1, index + 5).join('\n')
  return /^\s*\*?(Sent|Date):/im.test(next) && /^\s*\*?(Subject|To):/im.test(next)
}

export function trimQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let end = lines.length
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line.includes(REPLY_MARKER) || CUT_LINES.some((pattern) => pattern.test(line))) {
      end = index
      break
    }
    if (startsOutlookHeader(lines, index)) {
      end = index
      break
    }
  }
  let kept = lines.slice(0, end)
  // A "-- " line starts the sender's signature (RFC 3676).
  const signature = kept.indexOf('-- ')
  if (signature >= 0) kept = kept.slice(0, signature)
  // Quoted lines at the end (bottom-quoting without an attribution line).
  while (kept.length > 0 && /^\s*(>.*)?$/.test(kept[kept.length - 1] ?? '')) kept.pop()
  const trimmed = kept.join('\n').trim()
  // A mail that is nothing but a quote (a forward without a word) keeps its text.
  return trimmed === '' ? text.trim() : trimmed
}
