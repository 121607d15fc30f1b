import { messages as m } from '../i18n/messages.ts'
import { formatBytes } from '../ui/format.ts'

/** Why a chosen file cannot be uploaded, or undefined when it can. */
export function attachmentProblem(file: File, maxBytes: number): string | undefined {
  if (file.size > maxBytes) {
    return m.attachments.tooLarge({
      filename: file.name,
      size: formatBytes(file.size),
      max: formatBytes(maxBytes),
    })
  }
  if (file.size === 0) return m.attachments.empty({ filename: file.name })
  return undefined
}
