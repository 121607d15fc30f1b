// The name an upload is stored and offered under: a plain file name, whatever the client sent.

const MAX_BYTES = 255
const FALLBACK = 'attachment'
/** Names Windows refuses whatever the extension (CON.txt included). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i

/**
 * No directories (either separator), no control or invisible formatting characters (a
 * right-to-left override can disguise `exe.pdf`), none of `<>:"|?*`, no leading dots (hidden
 * files, `..`), no trailing dots or spaces, at most 255 UTF-8 bytes with the extension kept.
 */
export function sanitizeFilename(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? ''
  let name = base
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '')
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`
  name = truncateUtf8(name, MAX_BYTES)
  return name || FALLBACK
}

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  const stem = name.slice(0, name.length - extension.length)
  const budget = maxBytes - Buffer.byteLength(extension)
  let kept = ''
  for (const character of stem) {
    if (Buffer.byteLength(kept + character) > budget) break
    kept += character
  }
  return kept.trimEnd() + extension
}
