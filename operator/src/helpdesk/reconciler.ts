import { type HelpdeskSpec, helpdeskSpecSchema } from '@helpdesk/cdk8s'
import { restoreHoldingApi } from '../backups/restore-reconciler.ts'
import type { OperatorContext } from '../context.ts'
import { engineJob } from '../jobs/engine-jobs.ts'
import { ensureJob } from '../jobs/ensure-job.ts'
import { isConflict, isNotFound } from '../kube/client.ts'
import { hasFinalizer, setFinalizer } from '../kube/finalizers.ts'
import { describe, type KubeObject, parseObjectKey, referenceTo } from '../kube/objects.ts'
import { applyStatus } from '../kube/status.ts'
import type { ReconcileResult } from '../runtime/controller.ts'
import { backupsFor } from './backups.ts'
import { certificatesFor } from './certificates.ts'
import { cleanUp } from './cleanup.ts'
import { desiredObjects, isGenerated, keepClaimTemplates } from './desired.ts'
import { type Hold, holdOf } from './hold.ts'
import { InvalidSpecError } from './invalid-spec.ts'
import { pruneUnwanted } from './prune.ts'
import { rolloutOf, waitingOn } from './readiness.ts'
import { type Findings, helpdeskStatus, invalidSpecStatus } from './status.ts'

export const FINALIZER = 'helpdesk.dev/finalizer'

/** setTimeout cannot wait longer than ~24 days; the periodic resync covers the rest. */
const MAX_REQUEUE_MS = 6 * 3_600_000

/**
 * One Helpdesk, level-triggered: certificates, the rendered objects (server-side applied,
 * owned, unwanted ones pruned), the backup schedule, and a status that says how it went.
 */
export async function reconcileHelpdesk(
  context: OperatorContext,
  key: string,
): Promise<ReconcileResult | undefined> {
  const { namespace, name } = parseObjectKey(key)
  let helpdesk = context.caches.helpdesks.get(namespace, name)
  if (!helpdesk) return undefined
  if (helpdesk.metadata.deletionTimestamp) return cleanUp(context, helpdesk, FINALIZER)
  if (!hasFinalizer(helpdesk, FINALIZER)) {
    // Before anything is created: whatever the operator creates, deletion cleans up.
    helpdesk = await setFinalizer(context.client, helpdesk, FINALIZER, true)
  }
  const parsed = helpdeskSpecSchema.safeParse(helpdesk.spec ?? {})
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `spec.${issue.path.join('.')}: ${issue.message}`)
      .join('; ')
    return reportInvalidSpec(context, helpdesk, message)
  }
  try {
    const hold = holdOf(helpdesk, parsed.data, context.operatorVersion, context.upgrades)
    return await converge(context, helpdesk, parsed.data, hold)
  } catch (error) {
    if (error instanceof InvalidSpecError)
      return reportInvalidSpec(context, helpdesk, error.message)
    throw error
  }
}

/**
 * One pass over a Helpdesk. A hold (paused, a pinned operator version, a queued upgrade)
 * leaves the rendered objects as they are; the operator's own certificates and the backup
 * schedule carry on, because letting them lapse would harm the instance.
 */
async function converge(
  context: OperatorContext,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  hold: Hold | undefined,
): Promise<ReconcileResult> {
  const certificates = await certificatesFor(context, helpdesk, spec)
  const backups = backupsFor(context, helpdesk, spec)
  const restore = restoreHoldingApi(context, helpdesk)
  const rendered = desiredObjects(helpdesk, spec, {
    extraObjects: certificates.objects,
    podTemplateAnnotations: certificates.podTemplateAnnotations,
    holdApi: restore !== undefined,
  })
  const { objects: desired, notices } = keepClaimTemplates(rendered, context.caches)
  const own = new Set(certificates.objects.map((object) => object.metadata.name))
  const toApply = hold
    ? desired.filter((object) => object.kind === 'Secret' && own.has(object.metadata.name))
    : desired
  const failures = await applyAll(context, helpdesk, toApply)
  if (failures.length === 0 && backups.verifyJobName) {
    failures.push(...(await startDrill(context, helpdesk, spec, backups.verifyJobName)))
  }
  if (failures.length === 0 && !hold) {
    const keep = backups.verifyJobName ? [jobIdentity(backups.verifyJobName)] : []
    failures.push(...(await pruneUnwanted(context, helpdesk, [...desired, ...keep])))
  }
  if (failures.length === 0 && backups.due)
    failures.push(...(await startBackup(context, helpdesk, backups.due)))
  if (certificates.actions.length > 0) {
    await context.events.record(helpdesk, 'Normal', 'Certificates', certificates.actions.join('; '))
  }
  const findings: Findings = {
    spec,
    failures,
    rollout: rolloutOf(desired, context.caches),
    database: databaseReadiness(context, helpdesk, spec, desired),
    certificates,
    backups,
    restoreInProgress: restore?.metadata.name,
    hold,
    notices,
    operatorVersion: context.operatorVersion,
  }
  const status = helpdeskStatus(helpdesk, findings, context.clock.now())
  await applyStatus(context.client, helpdesk, status)
  exportFigures(context, helpdesk, findings)
  if (failures.length > 0) {
    throw new Error(`${describe(helpdesk)}: ${failures.join('; ')}`)
  }
  const now = context.clock.now().getTime()
  const checkpoints = [certificates.nextCheck, backups.nextCheck].filter(
    (date) => date !== undefined,
  )
  const next = Math.min(
    now + MAX_REQUEUE_MS,
    ...checkpoints.map((date) => date.getTime()),
    ...(hold?.retryAfterMs === undefined ? [] : [now + hold.retryAfterMs]),
  )
  return { requeueAfterMs: Math.max(0, next - now) }
}

/** The figures the PrometheusRule's backup and certificate alerts read. */
function exportFigures(context: OperatorContext, helpdesk: KubeObject, findings: Findings): void {
  const namespace = helpdesk.metadata.namespace as string
  const name = helpdesk.metadata.name
  const labels = { helpdesk_namespace: namespace, helpdesk: name }
  const lastSuccess = findings.backups.summary.lastSuccessful
  if (lastSuccess) {
    context.metrics.backupLastSuccess.set(labels, Date.parse(lastSuccess.completedAt) / 1000)
  }
  const drillFailed = findings.backups.condition.reason === 'VerifyFailed'
  context.metrics.restoreDrillFailed.set(labels, drillFailed ? 1 : 0)
  context.metrics.setCertificates(
    namespace,
    name,
    Object.fromEntries(
      findings.certificates.certificates.map((certificate) => [
        certificate.secretName,
        new Date(certificate.notAfter),
      ]),
    ),
  )
}

/** Applies every desired object (dependencies first); returns what failed and why. */
async function applyAll(
  context: OperatorContext,
  helpdesk: KubeObject,
  desired: readonly KubeObject[],
): Promise<string[]> {
  const changed: string[] = []
  const failures: string[] = []
  for (const object of desired) {
    try {
      // Generated credentials are created once and never overwritten: rendering again
      // produces new random values.
      const outcome = isGenerated(object)
        ? await context.applier.createIfMissing(object)
        : await context.applier.apply(object)
      if (outcome.changed) changed.push(describe(object))
    } catch (error) {
      failures.push(
        isNotFound(error)
          ? `${describe(object)}: the API server does not serve ${object.apiVersion} ${object.kind}; install the CRD that provides it`
          : `${describe(object)}: ${(error as Error).message}`,
      )
    }
  }
  if (changed.length > 0) {
    await context.events.record(helpdesk, 'Normal', 'Applied', `applied ${changed.join(', ')}`)
  }
  if (failures.length > 0) {
    await context.events.record(helpdesk, 'Warning', 'ApplyFailed', failures.join('; '))
  }
  return failures
}

/** The restore drill of the current verify slot: created once, then left to run. */
async function startDrill(
  context: OperatorContext,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  jobName: string,
): Promise<string[]> {
  try {
    await ensureJob(context, helpdesk, helpdesk, jobName, () =>
      engineJob(helpdesk, spec, jobName, { command: 'verify' }),
    )
    return []
  } catch (error) {
    return [`Job ${jobName}: ${(error as Error).message}`]
  }
}

const jobIdentity = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name } })

async function startBackup(
  context: OperatorContext,
  helpdesk: KubeObject,
  backup: KubeObject,
): Promise<string[]> {
  try {
    await context.client.create(backup)
  } catch (error) {
    // Another reconcile created it a moment ago: the slot is taken care of.
    if (isConflict(error)) return []
    return [`${describe(backup)}: ${(error as Error).message}`]
  }
  await context.events.record(helpdesk, 'Normal', 'BackupScheduled', `created ${describe(backup)}`)
  return []
}

function databaseReadiness(
  context: OperatorContext,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
  desired: readonly KubeObject[],
): Findings['database'] {
  if (spec.database.external) {
    return {
      ready: true,
      message: `external database ${spec.database.external.host}; the API's readiness probe checks that it answers`,
    }
  }
  const postgres = desired.find(
    (object) =>
      object.kind === 'StatefulSet' &&
      object.metadata.name === `${helpdesk.metadata.name}-postgres`,
  )
  const live = postgres ? context.caches.cached(referenceTo(postgres)) : undefined
  if (!live) return { ready: false, message: 'the Postgres StatefulSet does not exist yet' }
  const waiting = waitingOn(live)
  return waiting
    ? { ready: false, message: `Postgres: ${waiting}` }
    : { ready: true, message: 'Postgres is running' }
}

async function reportInvalidSpec(
  context: OperatorContext,
  helpdesk: KubeObject,
  message: string,
): Promise<undefined> {
  const wrote = await applyStatus(
    context.client,
    helpdesk,
    invalidSpecStatus(helpdesk, message, context.clock.now()),
  )
  if (wrote) await context.events.record(helpdesk, 'Warning', 'InvalidSpec', message)
  // Retrying cannot help; the next edit of the spec brings the Helpdesk back.
  return undefined
}
