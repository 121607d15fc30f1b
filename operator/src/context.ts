// What every reconciler works with during one leadership term. Its own module, below the
// controllers and reconcilers that use it, so that nothing imports upward to reach it.
import type { Caches } from './caches.ts'
import type { UpgradeGate } from './helpdesk/hold.ts'
import type { Applier } from './kube/apply.ts'
import type { KubeClient } from './kube/client.ts'
import type { EventRecorder } from './kube/events.ts'
import type { Clock } from './runtime/clock.ts'
import type { Logger } from './runtime/logger.ts'
import type { OperatorMetrics } from './runtime/metrics.ts'

export interface OperatorContext {
  client: KubeClient
  applier: Applier
  events: EventRecorder
  clock: Clock
  logger: Logger
  caches: Caches
  metrics: OperatorMetrics
  /** This operator's version: status.operatorVersion of what it applies. */
  operatorVersion: string
  /** After an upgrade: one Helpdesk re-rendered per interval. */
  upgrades: UpgradeGate
}
