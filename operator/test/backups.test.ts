// Scheduled backups, their Jobs, retention, and both kinds of restore, with the test
// playing the Job and Deployment controllers.

import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually, field } from './support/kube.ts'
import { ManualClock } from './support/manual-clock.ts'
import { reconciles, settled } from './support/metrics.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf, finishJob, markRolledOut } from './support/play.ts'

const admin = adminClient()
const clock = new ManualClock(new Date())
let namespace: string
let operator: Operator

const spec = {
  host: 'help.acme.example',
  backup: {
    schedule: '0 2 * * *',
    s3: {
      bucket: 'acme-backups',
      prefix: 'helpdesk',
      region: 'eu-central-1',
      endpoint: 'https://s3.example',
      credentialsSecretRef: { name: 'acme-backup-s3' },
    },
    encryptionKeySecretRef: { name: 'acme-backup-keys' },
  },
}

const ref = (kind: string, name: string, apiVersion = 'helpdesk.dev/v1alpha1') => ({
  apiVersion,
  kind,
  namespace,
  name,
})
const job = (name: string) => ref('Job', name, 'batch/v1')

function resultLine(id: string) {
  return JSON.stringify({
    id,
    tier: 'daily',
    completedAt: new Date().toISOString(),
    key: `helpdesk/backups/${id}/database.hdbk`,
    sizeBytes: 123_456,
    sha256: 'a'.repeat(64),
    keyId: '2026-11-28',
  })
}

/** The next 02:00 UTC after the clock, plus a minute. */
function nextSlot(): number {
  const now = clock.now()
  const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2, 1))
  if (slot <= now) slot.setUTCDate(slot.getUTCDate() + 1)
  return slot.getTime() - now.getTime()
}

async function advanceAndReconcile(milliseconds: number): Promise<void> {
  clock.advance(milliseconds)
  const before = await reconciles(operator, 'helpdesk')
  operator.resync()
  await eventually(
    'a reconcile at the new time',
    async () => (await reconciles(operator, 'helpdesk')) > before,
  )
  await settled(operator)
}

const argsOf = (job: KubeObject | undefined) =>
  field<string[]>(job, 'spec', 'template', 'spec', 'containers', 0, 'args') ?? []

beforeAll(async () => {
  await installCrds()
  namespace = await testServices.kubernetes().createNamespace('backups')
  operator = await startTestOperator({ namespaces: [namespace], clock })
  await admin.create({
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name: 'acme', namespace },
    spec,
  })
  await conditionOf(admin, ref('Helpdesk', 'acme'), 'BackupHealthy', {
    status: 'True',
    reason: 'FirstBackupPending',
  })
  await settled(operator)
}, 90_000)

afterAll(async () => {
  await operator?.stop()
  admin.close()
})

let firstBackup: string

describe('scheduled backups', () => {
  it('creates one HelpdeskBackup per schedule slot, and its Job', async () => {
    await advanceAndReconcile(nextSlot())
    const backups = await admin.list('helpdesk.dev/v1alpha1', 'HelpdeskBackup', { namespace })
    expect(backups.items).toHaveLength(1)
    const [backup] = backups.items as KubeObject[]
    firstBackup = backup?.metadata.name as string
    expect(firstBackup).toMatch(/^acme-\d{8}-0200$/)
    expect(backup?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Helpdesk',
      name: 'acme',
      controller: true,
    })
    const backupJob = await eventually('the backup Job', () =>
      admin.get(job(`${firstBackup}-backup`)),
    )
    expect(argsOf(backupJob)).toEqual(expect.arrayContaining(['backup', '--tier', 'daily']))
    await conditionOf(admin, ref('HelpdeskBackup', firstBackup), 'Succeeded', {
      status: 'Unknown',
      reason: 'Running',
    })

    // Reconciling again in the same slot creates nothing new.
    await advanceAndReconcile(60_000)
    expect(
      (await admin.list('helpdesk.dev/v1alpha1', 'HelpdeskBackup', { namespace })).items,
    ).toHaveLength(1)
  })

  it('reports a successful Job on the backup and the Helpdesk, then applies retention', async () => {
    await finishJob(admin, job(`${firstBackup}-backup`), {
      succeeded: true,
      message: resultLine('20261128T020000Z-1a2b3c4d'),
    })
    const backup = await conditionOf(admin, ref('HelpdeskBackup', firstBackup), 'Succeeded', {
      status: 'True',
    })
    expect(backup.status).toMatchObject({
      tier: 'daily',
      sizeBytes: 123_456,
      location: {
        bucket: 'acme-backups',
        key: 'helpdesk/backups/20261128T020000Z-1a2b3c4d/database.hdbk',
      },
      sha256: 'a'.repeat(64),
      keyId: '2026-11-28',
    })
    const helpdesk = await conditionOf(admin, ref('Helpdesk', 'acme'), 'BackupHealthy', {
      status: 'True',
      reason: 'BackupSucceeded',
    })
    expect(helpdesk.status).toMatchObject({
      backups: { lastSuccessful: { name: firstBackup, sizeBytes: 123_456 } },
    })

    const prune = await eventually('the retention Job', () =>
      admin.get(job(`${firstBackup}-prune`)),
    )
    expect(argsOf(prune)).toEqual(
      expect.arrayContaining(['prune', '--daily', '30', '--monthly', '12']),
    )
    await finishJob(admin, job(`${firstBackup}-prune`), { succeeded: true })
    await conditionOf(admin, ref('HelpdeskBackup', firstBackup), 'RetentionApplied', {
      status: 'True',
    })
  })

  it('shows a failed backup as a condition and as Events', async () => {
    await advanceAndReconcile(24 * 3_600_000)
    const backups = await admin.list('helpdesk.dev/v1alpha1', 'HelpdeskBackup', { namespace })
    const second = backups.items
      .map((item) => item.metadata.name)
      .find((name) => name !== firstBackup) as string
    await eventually('the second backup Job', () => admin.get(job(`${second}-backup`)))
    await finishJob(admin, job(`${second}-backup`), {
      succeeded: false,
      message: 'pg_dump: connection refused',
    })
    await conditionOf(admin, ref('HelpdeskBackup', second), 'Succeeded', {
      status: 'False',
      reason: 'BackupFailed',
    })
    const helpdesk = await conditionOf(admin, ref('Helpdesk', 'acme'), 'BackupHealthy', {
      status: 'False',
      reason: 'BackupFailed',
    })
    expect(helpdesk.status).toMatchObject({ backups: { lastFailure: { name: second } } })
    expect(helpdesk.status?.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'BackupUnhealthy',
    })
    const events = (await admin.list('v1', 'Event', { namespace })).items as (KubeObject & {
      reason: string
      type: string
      involvedObject: { kind: string }
    })[]
    const warnings = events.filter(
      (event) => event.type === 'Warning' && event.reason === 'BackupFailed',
    )
    expect(warnings.map((event) => event.involvedObject.kind).sort()).toEqual([
      'Helpdesk',
      'HelpdeskBackup',
    ])
  })
})

describe('restores', () => {
  it('restores a backup into a new database', async () => {
    await admin.create({
      apiVersion: 'helpdesk.dev/v1alpha1',
      kind: 'HelpdeskRestore',
      metadata: { name: 'drill', namespace },
      spec: {
        helpdeskRef: { name: 'acme' },
        backupRef: { name: firstBackup },
        mode: 'newDatabase',
        targetDatabase: 'helpdesk_drill',
      },
    })
    const restoreJob = await eventually('the restore Job', () => admin.get(job('drill-restore')))
    expect(argsOf(restoreJob)).toEqual(
      expect.arrayContaining([
        'restore',
        '--backup',
        '20261128T020000Z-1a2b3c4d',
        '--target-database',
        'helpdesk_drill',
      ]),
    )
    await finishJob(admin, job('drill-restore'), { succeeded: true })
    const restore = await conditionOf(admin, ref('HelpdeskRestore', 'drill'), 'Succeeded', {
      status: 'True',
    })
    expect(restore.status).toMatchObject({ database: 'helpdesk_drill' })
  })

  it('restores in place: API to zero, restore, migrate, API back, report', async () => {
    const api = ref('Deployment', 'acme-api', 'apps/v1')
    const hpa = ref('HorizontalPodAutoscaler', 'acme-api', 'autoscaling/v2')
    expect(await admin.get(hpa)).toBeDefined()
    // Two API pods are running: the restore has to wait for them to go.
    await markRolledOut(admin, api)
    await admin.create({
      apiVersion: 'helpdesk.dev/v1alpha1',
      kind: 'HelpdeskRestore',
      metadata: { name: 'rollback', namespace },
      spec: { helpdeskRef: { name: 'acme' }, backupRef: { name: firstBackup }, mode: 'inPlace' },
    })
    await conditionOf(admin, ref('HelpdeskRestore', 'rollback'), 'Progressing', {
      status: 'True',
      reason: 'ScalingDown',
    })
    await eventually(
      'the API at zero replicas without its autoscaler',
      async () => field(await admin.get(api), 'spec', 'replicas') === 0 && !(await admin.get(hpa)),
    )
    await conditionOf(admin, ref('Helpdesk', 'acme'), 'Ready', {
      status: 'False',
      reason: 'RestoreInProgress',
    })
    await markRolledOut(admin, api)

    const restoreJob = await eventually('the in-place restore Job', () =>
      admin.get(job('rollback-restore')),
    )
    expect(argsOf(restoreJob)).toEqual(
      expect.arrayContaining([
        'restore',
        '--backup',
        '20261128T020000Z-1a2b3c4d',
        '--in-place',
        '--confirm',
      ]),
    )
    await finishJob(admin, job('rollback-restore'), { succeeded: true })
    await conditionOf(admin, ref('HelpdeskRestore', 'rollback'), 'Progressing', {
      status: 'True',
      reason: 'Migrating',
    })
    const migrate = await eventually('the migration Job', () => admin.get(job('rollback-migrate')))
    expect(argsOf(migrate)).toEqual(['migrate'])
    await finishJob(admin, job('rollback-migrate'), { succeeded: true })

    await conditionOf(admin, ref('HelpdeskRestore', 'rollback'), 'Progressing', {
      status: 'True',
      reason: 'ScalingUp',
    })
    await eventually(
      'the API scaled back with its autoscaler',
      async () => (await admin.get(hpa)) !== undefined,
    )
    await markRolledOut(admin, api)
    await conditionOf(admin, ref('HelpdeskRestore', 'rollback'), 'Succeeded', {
      status: 'True',
      reason: 'Restored',
    })
  })
})

describe('restore drills', () => {
  /** Until the next Sunday, 04:01 UTC. */
  function untilSundayMorning(): number {
    const now = clock.now()
    const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 4, 1))
    while (slot <= now || slot.getUTCDay() !== 0) slot.setUTCDate(slot.getUTCDate() + 1)
    return slot.getTime() - now.getTime()
  }

  const drills = async () =>
    (await admin.list('batch/v1', 'Job', { namespace })).items
      .map((item) => item.metadata.name)
      .filter((name) => /^acme-verify-\d{8}-0400$/.test(name))

  it('runs the verify schedule as Jobs, reports a failed drill, and keeps only the latest', async () => {
    await admin.patch(ref('Helpdesk', 'acme'), 'merge', {
      spec: { backup: { verify: { schedule: '0 4 * * 0' } } },
    })
    await advanceAndReconcile(untilSundayMorning())
    const [first] = await eventually('the drill Job', async () => {
      const names = await drills()
      return names.length === 1 ? names : undefined
    })
    expect(argsOf(await admin.get(job(first as string)))).toEqual(['verify'])
    await finishJob(admin, job(first as string), {
      succeeded: false,
      message: 'row counts differ in tickets',
    })
    await conditionOf(admin, ref('Helpdesk', 'acme'), 'BackupHealthy', {
      status: 'False',
      reason: 'VerifyFailed',
    })

    await advanceAndReconcile(7 * 24 * 3_600_000)
    const next = await eventually('the next drill, and the previous one gone', async () => {
      const names = await drills()
      return names.length === 1 && names[0] !== first ? names : undefined
    })
    expect(next).toHaveLength(1)
  })
})
