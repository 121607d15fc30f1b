// `prune`: applies the GFS policy, then clears what failed backups left behind and the
// attachment blobs no remaining backup refers to. `--dry-run` only reports the plan.
import { referencedBlobs } from './attachments.ts'
import { type CatalogEntry, readCatalog } from './catalog.ts'
import type { Engine } from './engine.ts'
import type { Manifest } from './manifest.ts'
import {
  type KeepReason,
  planRetention,
  type RetentionCandidate,
  type RetentionPolicy,
} from './retention.ts'
import {
  abortUploads,
  BLOBS_DIR,
  backupKeys,
  deleteKeys,
  type LifecycleDays,
  listObjects,
  putLifecycle,
} from './storage.ts'

export interface PruneOptions {
  policy: RetentionPolicy
  dryRun: boolean
  /**
   * Leftovers (backups without a manifest, unfinished uploads, unreferenced blobs) are only
   * removed once this old, so a backup running right now is never touched.
   */
  staleAfterHours: number
}

export interface PrunePlan {
  dryRun: boolean
  keep: { id: string; tier: string; reasons: KeepReason[] }[]
  remove: { id: string; tier: string; startedAt: string }[]
  /** Backups without a manifest, older than the stale age. */
  removeIncomplete: string[]
  /** Manifests that cannot be read: never deleted automatically, shown for a human. */
  unreadable: { id: string; problem: string }[]
  removeBlobs: number
  abortedUploads: number
  /** Why unreferenced blobs were not collected, when they were not. */
  blobsSkipped?: string
  /** The bucket lifecycle set (BACKUP_S3_MANAGE_LIFECYCLE). */
  lifecycle?: LifecycleDays
}

const DAYS_PER_MONTH = 31

/**
 * Lifecycle days that never remove what the policy keeps: every tier's horizon plus a
 * month. Only the newest backup, which the policy keeps at any age, could outlive it — after
 * a year without a successful backup, which HelpdeskBackupTooOld reports long before.
 */
export function lifecycleDays(policy: RetentionPolicy, staleAfterHours: number): LifecycleDays {
  const horizon = Math.max(
    policy.daily,
    policy.monthly * DAYS_PER_MONTH,
    policy.manualMaxAgeDays ?? 0,
  )
  return {
    backups: horizon + DAYS_PER_MONTH,
    incompleteUploads: Math.ceil(staleAfterHours / 24) + 1,
  }
}

type Candidate = CatalogEntry & RetentionCandidate & { manifest: Manifest }

const isCandidate = (entry: CatalogEntry): entry is Candidate =>
  entry.manifest !== undefined && entry.tier !== undefined && entry.startedAt !== undefined

export async function prune(engine: Engine, options: PruneOptions): Promise<PrunePlan> {
  const now = engine.now()
  const staleBefore = new Date(now.getTime() - options.staleAfterHours * 3_600_000)
  const catalog = await readCatalog(engine)
  const candidates = catalog
    .filter(isCandidate)
    .map((entry) => ({ ...entry, good: entry.status === 'good' }))
  const retention = planRetention(candidates, options.policy, now)
  const incomplete = catalog.filter(
    (entry) =>
      entry.status === 'incomplete' && entry.lastModified.getTime() < staleBefore.getTime(),
  )
  const plan: PrunePlan = {
    dryRun: options.dryRun,
    keep: retention.keep.map(({ backup, reasons }) => ({
      id: backup.id,
      tier: backup.tier,
      reasons,
    })),
    remove: retention.remove.map((backup) => ({
      id: backup.id,
      tier: backup.tier,
      startedAt: backup.startedAt.toISOString(),
    })),
    removeIncomplete: incomplete.map((entry) => entry.id),
    unreadable: catalog
      .filter((entry) => entry.status === 'invalid' && !entry.manifest)
      .map((entry) => ({ id: entry.id, problem: entry.problem ?? '' })),
    removeBlobs: 0,
    abortedUploads: 0,
  }
  const kept = retention.keep.map(({ backup }) => backup)
  const blobs = await unreferencedBlobs(engine, kept, staleBefore)
  if (typeof blobs === 'string') plan.blobsSkipped = blobs
  else plan.removeBlobs = blobs.length
  if (engine.config.location.manageLifecycle) {
    plan.lifecycle = lifecycleDays(options.policy, options.staleAfterHours)
  }
  if (options.dryRun) return plan

  if (plan.lifecycle) plan.lifecycle = await putLifecycle(engine.store, plan.lifecycle)
  for (const backup of [...retention.remove, ...incomplete]) {
    const keys = backupKeys(engine.store, backup.id)
    // The manifest goes first: a half-deleted backup must never look complete.
    await deleteKeys(engine.store, [keys.manifest])
    await deleteKeys(
      engine.store,
      backup.objects.map((object) => object.key).filter((key) => key !== keys.manifest),
    )
    engine.logger.info({ backup: backup.id }, 'backup deleted')
  }
  if (typeof blobs !== 'string') await deleteKeys(engine.store, blobs)
  plan.abortedUploads = await abortUploads(
    engine.store.client,
    engine.store.bucket,
    engine.store.prefix,
    staleBefore,
  )
  return plan
}

/**
 * Blobs older than the stale age that no kept backup refers to. A kept backup whose index
 * cannot be read (an unknown key, damage) makes it impossible to know what is still
 * needed, so then nothing is collected and the reason is returned instead.
 */
async function unreferencedBlobs(
  engine: Engine,
  kept: readonly Candidate[],
  staleBefore: Date,
): Promise<string[] | string> {
  const unreadable = kept.filter(
    (backup) => backup.status !== 'good' && backup.manifest.attachments,
  )
  if (unreadable.length > 0) {
    return `attachment blobs not collected: the index of ${unreadable.map((backup) => backup.id).join(', ')} cannot be trusted (${unreadable[0]?.problem})`
  }
  const referenced = await referencedBlobs(
    engine,
    kept.map((backup) => backup.manifest),
  )
  const unreferenced: string[] = []
  const directory = `${engine.store.prefix}${BLOBS_DIR}`
  for await (const object of listObjects(engine.store.client, engine.store.bucket, directory)) {
    const blob = object.key.slice(directory.length).replace(/\.hdbk$/, '')
    if (!referenced.has(blob) && object.lastModified.getTime() < staleBefore.getTime()) {
      unreferenced.push(object.key)
    }
  }
  return unreferenced
}
