// SLA due times as pure functions of a ticket's clock. The resolution clock stops while the
// ticket waits on the customer (pending) or is done (solved, closed) and resumes where it
// stopped; the first-response clock runs until the first public reply from staff.
import type { TicketPriority, TicketStatus } from './vocabulary.ts'

export interface SlaTargets {
  firstResponseMinutes: number
  resolutionMinutes: number
}

export type SlaPolicyTable = Record<TicketPriority, SlaTargets>

/** What a ticket stores to compute its due times at any later moment. */
export interface SlaClock {
  createdAt: Date
  firstRespondedAt: Date | null
  /** Milliseconds the resolution clock was stopped, pauses that ended only. */
  pausedMs: number
  /** When the current pause began; null while the resolution clock runs. */
  pausedSince: Date | null
}

export interface DueTimes {
  firstResponseDueAt: Date | null
  resolutionDueAt: Date | null
}

const STOPPED: ReadonlySet<TicketStatus> = new Set(['pending', 'solved', 'closed'])
const DONE: ReadonlySet<TicketStatus> = new Set(['solved', 'closed'])
const MINUTE_MS = 60_000

/** Whether the resolution clock stands still in this status. */
function resolutionClockStopped(status: TicketStatus): boolean {
  return STOPPED.has(status)
}

export function newClock(createdAt: Date, status: TicketStatus): SlaClock {
  return {
    createdAt,
    firstRespondedAt: null,
    pausedMs: 0,
    pausedSince: resolutionClockStopped(status) ? createdAt : null,
  }
}

/**
 * The due times now: none for what is done or answered, no resolution due time while its
 * clock stands still (it would move with every passing minute).
 */
export function dueTimes(clock: SlaClock, status: TicketStatus, targets: SlaTargets): DueTimes {
  const created = clock.createdAt.getTime()
  const firstResponseDueAt =
    clock.firstRespondedAt || DONE.has(status)
      ? null
      : new Date(created + targets.firstResponseMinutes * MINUTE_MS)
  const resolutionDueAt = clock.pausedSince
    ? null
    : new Date(created + targets.resolutionMinutes * MINUTE_MS + clock.pausedMs)
  return { firstResponseDueAt, resolutionDueAt }
}

/** The clock after a status change at `at`: a pause starts or ends, or nothing changes. */
export function afterStatusChange(
  clock: SlaClock,
  from: TicketStatus,
  to: TicketStatus,
  at: Date,
): SlaClock {
  const wasStopped = resolutionClockStopped(from)
  const isStopped = resolutionClockStopped(to)
  if (!wasStopped && isStopped) return { ...clock, pausedSince: at }
  if (wasStopped && !isStopped) {
    const since = clock.pausedSince ?? at
    return {
      ...clock,
      pausedMs: clock.pausedMs + Math.max(0, at.getTime() - since.getTime()),
      pausedSince: null,
    }
  }
  return clock
}

/** The first public reply from staff satisfies the first-response target; later ones do not. */
export function afterFirstResponse(clock: SlaClock, at: Date): SlaClock {
  return clock.firstRespondedAt ? clock : { ...clock, firstRespondedAt: at }
}
