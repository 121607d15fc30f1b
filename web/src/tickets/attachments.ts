import { formatBytes } from '../ui/format.ts'

/** Why a chosen file cannot be uploaded, or undefined when it can. */
export function attachmentProblem(file: File, maxBytes: number): string | undefined {
  if (file.size > maxBytes) {
    return `${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(maxBytes)}.`
  }
  if (file.size === 0) return `${file.name} is empty.`
  return undefined
}
