import type { HelpdeskSpec } from '@helpdesk/cdk8s'
import { type Condition, type ConditionUpdate, setCondition } from '../kube/conditions.ts'
import type { KubeObject } from '../kube/objects.ts'
import type { BackupReport, BackupSummary } from './backups.ts'
import type { CertificateReport, CertificateStatus } from './certificates.ts'
import type { Hold } from './hold.ts'
import type { Rollout } from './readiness.ts'

export interface HelpdeskStatus {
  observedGeneration: number
  url?: string
  version?: string
  /** The operator version that last applied the rendered objects. */
  operatorVersion?: string
  conditions: Condition[]
  backups?: BackupSummary
  certificates?: CertificateStatus[]
  [field: string]: unknown
}

/** What one reconcile found out, from which the status is written. */
export interface Findings {
  spec: HelpdeskSpec
  /** Objects that could not be applied or deleted, with the API server's reason. */
  failures: string[]
  rollout: Rollout
  database: { ready: boolean; message: string }
  certificates: CertificateReport
  backups: BackupReport
  /** An in-place restore that holds the API at zero replicas. */
  restoreInProgress?: string
  /** Why the rendered objects were left alone (paused, pinned, a queued upgrade). */
  hold?: Hold
  /** Changes that cannot be applied and what to do instead (a grown volume). */
  notices: string[]
  /** This operator's version. */
  operatorVersion: string
}

type Verdict = Omit<ConditionUpdate, 'type' | 'observedGeneration'>

/**
 * The status for a reconcile's findings. Ready is a summary: True only when every object
 * was applied and every workload rolled out, and database, certificates and backups are
 * healthy — never after a failed apply.
 */
export function helpdeskStatus(
  helpdesk: KubeObject,
  findings: Findings,
  now: Date,
): HelpdeskStatus {
  const previous = (helpdesk.status ?? {}) as Partial<HelpdeskStatus>
  const generation = helpdesk.metadata.generation ?? 0
  const { spec, failures, rollout, database, certificates, backups } = findings
  const conditionsFor: [string, Verdict][] = [
    ['Ready', ready(findings)],
    ['Progressing', progressing(findings)],
    ['Degraded', degraded(findings)],
    [
      'DatabaseReady',
      {
        status: database.ready ? 'True' : 'False',
        reason: database.ready ? 'Available' : 'NotAvailable',
        message: database.message,
      },
    ],
    ['BackupHealthy', backups.condition],
    ['CertificatesReady', certificates.condition],
  ]
  let conditions = previous.conditions ?? []
  for (const [type, verdict] of conditionsFor) {
    conditions = setCondition(conditions, { type, ...verdict, observedGeneration: generation }, now)
  }
  const applied = failures.length === 0 && !findings.hold
  const rolledOut = applied && rollout.complete
  const operatorVersion = applied ? findings.operatorVersion : previous.operatorVersion
  return {
    observedGeneration: generation,
    url: `https://${spec.host}`,
    ...(rolledOut
      ? { version: spec.version }
      : previous.version
        ? { version: previous.version }
        : {}),
    ...(operatorVersion ? { operatorVersion } : {}),
    conditions,
    backups: backups.summary,
    certificates: certificates.certificates,
  }
}

/** Ready=False with a reason, for a spec the operator cannot act on. */
export function invalidSpecStatus(
  helpdesk: KubeObject,
  message: string,
  now: Date,
): HelpdeskStatus {
  const previous = (helpdesk.status ?? {}) as Partial<HelpdeskStatus>
  const generation = helpdesk.metadata.generation ?? 0
  const invalid = {
    status: 'False',
    reason: 'InvalidSpec',
    message,
    observedGeneration: generation,
  } as const
  let conditions = setCondition(previous.conditions ?? [], { type: 'Ready', ...invalid }, now)
  conditions = setCondition(conditions, { ...invalid, type: 'Progressing' }, now)
  conditions = setCondition(conditions, { ...invalid, type: 'Degraded', status: 'True' }, now)
  return { ...previous, observedGeneration: generation, conditions }
}

function ready(findings: Findings): Verdict {
  const { failures, rollout, database, certificates, backups, restoreInProgress } = findings
  if (failures.length > 0) {
    return { status: 'False', reason: 'ApplyFailed', message: failures.join('; ') }
  }
  if (restoreInProgress) {
    return {
      status: 'False',
      reason: 'RestoreInProgress',
      message: `HelpdeskRestore ${restoreInProgress} holds the API at zero replicas`,
    }
  }
  if (rollout.failures.length > 0) {
    return { status: 'False', reason: 'RolloutFailed', message: rollout.failures.join('; ') }
  }
  if (!rollout.complete) {
    return { status: 'False', reason: 'RollingOut', message: rollout.waiting.join('; ') }
  }
  if (!database.ready)
    return { status: 'False', reason: 'DatabaseNotReady', message: database.message }
  if (certificates.condition.status !== 'True') {
    return {
      status: 'False',
      reason: 'CertificatesNotReady',
      message: certificates.condition.message,
    }
  }
  if (backups.condition.status === 'False') {
    return { status: 'False', reason: 'BackupUnhealthy', message: backups.condition.message }
  }
  return {
    status: 'True',
    reason: 'Ready',
    message: 'every object is applied and every workload is available',
  }
}

function progressing(findings: Findings): Verdict {
  const { failures, rollout, restoreInProgress, hold } = findings
  if (hold) return { status: 'False', reason: hold.reason, message: hold.message }
  if (failures.length > 0) {
    return {
      status: 'False',
      reason: 'ApplyFailed',
      message: 'objects could not be applied; retrying with backoff',
    }
  }
  if (restoreInProgress) {
    return {
      status: 'True',
      reason: 'RestoreInProgress',
      message: `HelpdeskRestore ${restoreInProgress} is running`,
    }
  }
  if (!rollout.complete && rollout.failures.length === 0) {
    return { status: 'True', reason: 'RollingOut', message: rollout.waiting.join('; ') }
  }
  return { status: 'False', reason: 'RolloutComplete', message: 'nothing is rolling out' }
}

function degraded(findings: Findings): Verdict {
  const { failures, rollout, certificates, backups, notices } = findings
  const problems = [
    ...failures.map((failure) => `apply failed: ${failure}`),
    ...rollout.failures,
    ...notices,
    ...(certificates.condition.status === 'False' ? [certificates.condition.message] : []),
    ...(backups.condition.status === 'False' ? [backups.condition.message] : []),
  ]
  if (problems.length === 0)
    return { status: 'False', reason: 'AsExpected', message: 'no problems found' }
  const reason =
    failures.length > 0
      ? 'ApplyFailed'
      : rollout.failures.length > 0
        ? 'RolloutFailed'
        : notices.length > 0
          ? 'ChangeNotApplied'
          : certificates.condition.status === 'False'
            ? 'CertificatesNotReady'
            : 'BackupUnhealthy'
  return { status: 'True', reason, message: problems.join('; ') }
}
