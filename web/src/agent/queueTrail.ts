// The queue an agent last looked at, so that on a ticket "next" and "previous" follow that
// queue's order and "back" returns to it with its filters. Kept in memory for this tab only.

interface Trail {
  /** The queue's address, filters included. */
  path: string
  /** The tickets it showed, in order. */
  ids: readonly string[]
}

let trail: Trail | null = null

export function rememberQueue(path: string, ids: readonly string[]): void {
  trail = { path, ids }
}

/** The ticket `step` places after `id` in the remembered queue, if it showed both. */
export function neighbourInQueue(id: string, step: 1 | -1): string | undefined {
  const at = trail?.ids.indexOf(id) ?? -1
  return at === -1 ? undefined : trail?.ids[at + step]
}

export function rememberedQueuePath(): string {
  return trail?.path ?? '/tickets'
}
