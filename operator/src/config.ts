import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { z } from 'zod'
import type { LeaseSettings } from './runtime/leader-election.ts'

const IN_CLUSTER_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

const environmentSchema = z.object({
  HELPDESK_OPERATOR_WATCH_NAMESPACES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((namespace) => namespace.trim())
        .filter(Boolean),
    ),
  HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: z.string().min(1).optional(),
  HELPDESK_OPERATOR_LEADER_ELECTION_NAME: z.string().min(1).default('helpdesk-operator'),
  HELPDESK_OPERATOR_LEASE_DURATION_SECONDS: positiveInt(15),
  HELPDESK_OPERATOR_RENEW_DEADLINE_SECONDS: positiveInt(10),
  HELPDESK_OPERATOR_RETRY_PERIOD_SECONDS: positiveInt(2),
  HELPDESK_OPERATOR_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HELPDESK_OPERATOR_CONCURRENCY: positiveInt(4),
  HELPDESK_OPERATOR_RESYNC_SECONDS: positiveInt(600),
  HELPDESK_OPERATOR_SHUTDOWN_GRACE_SECONDS: positiveInt(25),
  HELPDESK_OPERATOR_UPGRADE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  HELPDESK_OPERATOR_METRICS_AUTH: z.enum(['kubernetes', 'none']).default('kubernetes'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  POD_NAME: z.string().min(1).optional(),
  POD_NAMESPACE: z.string().min(1).optional(),
})

export interface OperatorConfig {
  /** Empty: every namespace. */
  watchNamespaces: string[]
  leaderElection: LeaseSettings
  metricsPort: number
  concurrency: number
  resyncIntervalMs: number
  shutdownGraceMs: number
  upgradeIntervalMs: number
  /** kubernetes: /metrics asks the API server who may read it (TokenReview, SubjectAccessReview). */
  metricsAuth: 'kubernetes' | 'none'
  logLevel: string
}

/** The operator's configuration from its environment; every problem is listed at once. */
export function loadConfig(environment: NodeJS.ProcessEnv): OperatorConfig {
  const parsed = environmentSchema.safeParse(environment)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`invalid operator configuration:\n  ${problems.join('\n  ')}`)
  }
  const env = parsed.data
  const namespace =
    env.HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE ?? env.POD_NAMESPACE ?? inClusterNamespace()
  if (!namespace) {
    throw new Error(
      'invalid operator configuration:\n  HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: required outside a pod (no POD_NAMESPACE, no service account namespace file)',
    )
  }
  const leaseDurationMs = env.HELPDESK_OPERATOR_LEASE_DURATION_SECONDS * 1000
  const renewDeadlineMs = env.HELPDESK_OPERATOR_RENEW_DEADLINE_SECONDS * 1000
  if (renewDeadlineMs >= leaseDurationMs) {
    throw new Error(
      'invalid operator configuration:\n  HELPDESK_OPERATOR_RENEW_DEADLINE_SECONDS: must be shorter than the lease duration, or two leaders could overlap',
    )
  }
  return {
    watchNamespaces: env.HELPDESK_OPERATOR_WATCH_NAMESPACES,
    leaderElection: {
      namespace,
      name: env.HELPDESK_OPERATOR_LEADER_ELECTION_NAME,
      // The pod name alone repeats when a StatefulSet pod restarts; the suffix never does.
      identity: `${env.POD_NAME ?? hostname()}_${randomBytes(4).toString('hex')}`,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs: env.HELPDESK_OPERATOR_RETRY_PERIOD_SECONDS * 1000,
    },
    metricsPort: env.HELPDESK_OPERATOR_METRICS_PORT,
    concurrency: env.HELPDESK_OPERATOR_CONCURRENCY,
    resyncIntervalMs: env.HELPDESK_OPERATOR_RESYNC_SECONDS * 1000,
    shutdownGraceMs: env.HELPDESK_OPERATOR_SHUTDOWN_GRACE_SECONDS * 1000,
    upgradeIntervalMs: env.HELPDESK_OPERATOR_UPGRADE_INTERVAL_SECONDS * 1000,
    metricsAuth: env.HELPDESK_OPERATOR_METRICS_AUTH,
    logLevel: env.LOG_LEVEL,
  }
}

function inClusterNamespace(): string | undefined {
  try {
    return readFileSync(IN_CLUSTER_NAMESPACE_FILE, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}
