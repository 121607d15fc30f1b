// HelpdeskBackup and HelpdeskRestore specs, and the status of all three kinds, as
// docs/custom-resources.md describes them. Only the operator writes status; the schemas
// keep it honest.
import { z } from 'zod'
import { dnsSubdomain } from './common.ts'
import { exactlyOneOf } from './rules.ts'

const helpdeskRef = z
  .strictObject({ name: dnsSubdomain.describe('Name of the Helpdesk.') })
  .describe('The Helpdesk in the same namespace.')

/** spec of a HelpdeskBackup: an on-demand backup (scheduled ones appear as objects too). */
export const helpdeskBackupSpecSchema = z
  .strictObject({
    helpdeskRef,
    reason: z.string().max(1024).optional().describe('Why this backup was taken.'),
  })
  .describe('An on-demand backup of a Helpdesk; immutable once created.')
export type HelpdeskBackupSpec = z.output<typeof helpdeskBackupSpecSchema>

export const backupLocationSchema = z
  .strictObject({
    bucket: z.string().min(1).optional().describe('Default: the Helpdesk backup bucket.'),
    key: z.string().min(1).describe('Object key of the backup.'),
  })
  .describe('Where a backup object lives.')
export type BackupLocation = z.output<typeof backupLocationSchema>

/** spec of a HelpdeskRestore. */
export const helpdeskRestoreSpecSchema = z
  .strictObject({
    helpdeskRef,
    backupRef: exactlyOneOf({
      name: dnsSubdomain.describe('A HelpdeskBackup in the namespace.'),
      location: backupLocationSchema,
    }).describe('The backup to restore: exactly one of name or location.'),
    mode: z
      .enum(['inPlace', 'newDatabase'])
      .default('newDatabase')
      .describe(
        'inPlace scales the API to zero and replaces the data; newDatabase restores next to it.',
      ),
    targetDatabase: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a Postgres database name')
      .optional()
      .describe('Database for mode newDatabase; default <database>_restore_<restore name>.'),
  })
  .describe('Restores a backup into a Helpdesk’s database or next to it; immutable once created.')
export type HelpdeskRestoreSpec = z.output<typeof helpdeskRestoreSpecSchema>

/** metav1.Condition. */
export const conditionSchema = z.strictObject({
  type: z
    .string()
    .regex(
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
    )
    .max(316)
    .describe('What the condition is about, e.g. Ready.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Whether it holds.'),
  observedGeneration: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The metadata.generation the condition was set for.'),
  lastTransitionTime: z.iso.datetime({ offset: true }).describe('When the status last changed.'),
  reason: z
    .string()
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .min(1)
    .max(1024)
    .describe('Why, in CamelCase: a stable value to match on.'),
  message: z.string().max(32768).describe('Why, for people.'),
})
export type Condition = z.output<typeof conditionSchema>

/** metav1.Condition list: one per type, merged by type by server-side apply. */
const conditions = z
  .array(conditionSchema)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
  .describe('The latest observations of the object, one per type (metav1.Condition).')

/** Condition types of a Helpdesk, in the order the contract lists them. */
export const HELPDESK_CONDITION_TYPES = [
  'Ready',
  'Progressing',
  'Degraded',
  'DatabaseReady',
  'BackupHealthy',
  'CertificatesReady',
] as const

const timestamp = z.iso.datetime({ offset: true })

const backupRecord = z
  .strictObject({
    name: z.string().min(1).describe('The HelpdeskBackup.'),
    completedAt: timestamp.describe('When it completed.'),
    sizeBytes: z.number().int().min(0).optional().describe('Bytes stored.'),
  })
  .describe('The latest backup that succeeded.')

const backupFailure = z
  .strictObject({
    name: z.string().min(1).describe('The HelpdeskBackup.'),
    failedAt: timestamp.describe('When it failed.'),
    reason: z.string().optional().describe('Why, in CamelCase.'),
    message: z.string().optional().describe('Why, for people.'),
  })
  .describe('The latest backup that failed, until a later one succeeds.')

const generation = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe('The metadata.generation the conditions were written for.')

export const helpdeskStatusSchema = z
  .strictObject({
    observedGeneration: generation,
    url: z.string().optional().describe('The public URL, https://<spec.host>.'),
    version: z.string().optional().describe('The product version that is rolled out.'),
    operatorVersion: z
      .string()
      .optional()
      .describe('The version of the operator that last applied the objects.'),
    conditions: conditions.optional(),
    backups: z
      .strictObject({
        lastSuccessful: backupRecord.optional(),
        lastFailure: backupFailure.optional(),
      })
      .optional()
      .describe('The latest backups.'),
    certificates: z
      .array(
        z.strictObject({
          secretName: z.string().min(1).describe('The kubernetes.io/tls Secret.'),
          notAfter: timestamp.describe('When the certificate expires.'),
          renewalTime: timestamp.describe('When it is renewed.'),
        }),
      )
      .optional()
      .describe('The certificates the operator issues or watches.'),
  })
  .describe('Written by the operator only.')
export type HelpdeskStatus = z.output<typeof helpdeskStatusSchema>

export const helpdeskBackupStatusSchema = z
  .strictObject({
    observedGeneration: generation,
    conditions: conditions.optional(),
    startedAt: timestamp.optional().describe('When the backup Job started.'),
    completedAt: timestamp.optional().describe('When the backup finished.'),
    sizeBytes: z.number().int().min(0).optional().describe('Bytes stored.'),
    location: z
      .strictObject({
        bucket: z.string().describe('The bucket.'),
        key: z.string().describe('The object key of the manifest.'),
      })
      .optional()
      .describe('Where the backup is.'),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .describe('Checksum of the database dump as stored.'),
    keyId: z.string().optional().describe('The keyring key that encrypted it.'),
    tier: z
      .enum(['daily', 'monthly', 'manual'])
      .optional()
      .describe('daily and monthly: scheduled (retention applies); manual: on demand.'),
    jobName: z.string().optional().describe('The Job that runs (or ran) the backup.'),
  })
  .describe('Written by the operator only.')
export type HelpdeskBackupStatus = z.output<typeof helpdeskBackupStatusSchema>

export const helpdeskRestoreStatusSchema = z
  .strictObject({
    observedGeneration: generation,
    conditions: conditions.optional(),
    startedAt: timestamp.optional().describe('When the restore started.'),
    completedAt: timestamp.optional().describe('When it finished.'),
    database: z.string().optional().describe('The database the backup was restored into.'),
    jobName: z.string().optional().describe('The Job that runs (or ran) the restore.'),
  })
  .describe('Written by the operator only.')
export type HelpdeskRestoreStatus = z.output<typeof helpdeskRestoreStatusSchema>
