// The content type of an upload, from its first bytes — never from what the client claims.
import { fileTypeFromBuffer } from 'file-type'

/** What file-type needs to recognise the formats it knows. */
export const SNIFF_BYTES = 4100

const PLAIN_TEXT = 'text/plain; charset=utf-8'
const BINARY = 'application/octet-stream'

/** Types a browser would render or run: such uploads are stored as plain text or bytes. */
const ACTIVE = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'application/javascript',
  'text/javascript',
])

/**
 * Raster images, which browsers decode without running anything: the only types shown inline
 * (the preview route). Everything else is served as a download.
 */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'])

export const isPreviewable = (contentType: string) => PREVIEWABLE.has(contentType)

export async function sniffContentType(head: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(head)
  if (detected && !ACTIVE.has(detected.mime)) return detected.mime
  return looksLikeText(head) ? PLAIN_TEXT : BINARY
}

/** UTF-8 without NUL bytes. The sample may end inside a character: up to 3 bytes are dropped. */
function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for (let trim = 0; trim <= Math.min(3, head.length); trim++) {
    try {
      decoder.decode(head.subarray(0, head.length - trim))
      return true
    } catch {
      // Try again without a possibly cut last character.
    }
  }
  return false
}
