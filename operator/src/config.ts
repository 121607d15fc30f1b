import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { OPERATOR_VARIABLES } from '@helpdesk/config'
import { z } from 'zod'
import type { LeaseSettings } from './runtime/leader-election.ts'

const IN_CLUSTER_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'

const V = OPERATOR_VARIABLES

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

const environmentSchema = z.object({
  [V.watchNamespaces]: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((namespace) => namespace.trim())
        .filter(Boolean),
    ),
  [V.leaderElectionNamespace]: z.string().min(1).optional(),
  [V.leaderElectionName]: z.string().min(1).default('helpdesk-operator'),
  [V.leaseDurationSeconds]: positiveInt(15),
  [V.renewDeadlineSeconds]: positiveInt(10),
  [V.retryPeriodSeconds]: positiveInt(2),
  [V.metricsPort]: z.coerce.number().int().min(0).max(65535).default(8080),
  [V.concurrency]: positiveInt(4),
  [V.resyncSeconds]: positiveInt(600),
  [V.shutdownGraceSeconds]: positiveInt(25),
  [V.upgradeIntervalSeconds]: z.coerce.number().int().min(0).default(60),
  [V.metricsAuth]: z.enum(['kubernetes', 'none']).default('kubernetes'),
  [V.logLevel]: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  [V.podName]: z.string().min(1).optional(),
  [V.podNamespace]: z.string().min(1).optional(),
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
  const namespace = env[V.leaderElectionNamespace] ?? env[V.podNamespace] ?? inClusterNamespace()
  if (!namespace) {
    throw new Error(
      `invalid operator configuration:\n  ${V.leaderElectionNamespace}: required outside a pod (no ${V.podNamespace}, no service account namespace file)`,
    )
  }
  const leaseDurationMs = env[V.leaseDurationSeconds] * 1000
  const renewDeadlineMs = env[V.renewDeadlineSeconds] * 1000
  if (renewDeadlineMs >= leaseDurationMs) {
    throw new Error(
      `invalid operator configuration:\n  ${V.renewDeadlineSeconds}: must be shorter than the lease duration, or two leaders could overlap`,
    )
  }
  return {
    watchNamespaces: env[V.watchNamespaces],
    leaderElection: {
      namespace,
      name: env[V.leaderElectionName],
      // The pod name alone repeats when a StatefulSet pod restarts; the suffix never does.
      identity: `${env[V.podName] ?? hostname()}_${randomBytes(4).toString('hex')}`,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs: env[V.retryPeriodSeconds] * 1000,
    },
    metricsPort: env[V.metricsPort],
    concurrency: env[V.concurrency],
    resyncIntervalMs: env[V.resyncSeconds] * 1000,
    shutdownGraceMs: env[V.shutdownGraceSeconds] * 1000,
    upgradeIntervalMs: env[V.upgradeIntervalSeconds] * 1000,
    metricsAuth: env[V.metricsAuth],
    logLevel: env[V.logLevel],
  }
}

function inClusterNamespace(): string | undefined {
  try {
    return readFileSync(IN_CLUSTER_NAMESPACE_FILE, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}
