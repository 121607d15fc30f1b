import type { Operator } from '../../src/operator.ts'

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * API requests the operator's reconcilers made so far (not the caches' lists or the lease
 * renewals): all, and those that change something.
 */
export async function apiRequests(operator: Operator): Promise<{ all: number; mutating: number }> {
  const { values } = await operator.metrics.apiRequests.get()
  let all = 0
  let mutating = 0
  for (const { value, labels } of values) {
    if (labels.user !== 'reconcilers') continue
    all += value
    if (MUTATING.has(String(labels.method))) mutating += value
  }
  return { all, mutating }
}

/** Reconciles the controller finished (successfully or not). */
export async function reconciles(operator: Operator, controller: string): Promise<number> {
  const { values } = await operator.metrics.reconciles.get()
  return values
    .filter(({ labels }) => labels.controller === controller)
    .reduce((total, { value }) => total + value, 0)
}

/** Waits until the operator has had nothing to do for `quietMs`. */
export async function settled(
  operator: Operator,
  quietMs = 1_500,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = await apiRequests(operator)
  let quietSince = Date.now()
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error('the operator did not settle')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = await apiRequests(operator)
    if (now.all !== last.all) {
      last = now
      quietSince = Date.now()
    }
  }
}
