import { sha256Hex } from './semantic.ts'

/** Names that end up in label values (Job names do) may not exceed 63 characters. */
const MAX_LABEL_VALUE = 63

/**
 * `${base}-${suffix}`, shortened when too long: the base is cut and a hash of the full name
 * appended, so two long names never collide.
 */
export function childName(base: string, suffix: string): string {
  const full = `${base}-${suffix}`
  if (full.length <= MAX_LABEL_VALUE) return full
  const hash = sha256Hex(full).slice(0, 8)
  const room = MAX_LABEL_VALUE - suffix.length - hash.length - 2
  return `${base.slice(0, room).replace(/-+$/, '')}-${hash}-${suffix}`
}
