// HelpdeskBackup and HelpdeskRestore specs, and the status of all three kinds, as
// spec/operator.md describes them. Only the operator writes status; the schemas keep it honest.
import { z } from 'zod'
import { dnsSubdomain } from './common.ts'
import { exactlyOneOf } from './rules.ts'

const helpdeskRef = z
  .strictObject({ name: dnsSubdomain })
  .describe('The Helpdesk in the same namespace.')

/** spec of a HelpdeskBackup: an on-demand backup (scheduled ones appear as objects too). */
export const helpdeskBackupSpecSchema = z.strictObject({
  helpdeskRef,
  reason: z.string().max(1024).optional().describe('Why this backup was taken.'),
})
export type HelpdeskBackupSpec = z.output<typeof helpdeskBackupSpecSchema>

export const backupLocationSchema = z
  .strictObject({
    bucket: z.string().min(1).optional().describe('Default: the Helpdesk backup bucket.'),
    key: z.string().min(1).describe('Object key of the backup.'),
  })
  .describe('Where a backup object lives.')
export type BackupLocation = z.output<typeof backupLocationSchema>

/** spec of a HelpdeskRestore. */
export const helpdeskRestoreSpecSchema = z.strictObject({
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
export type HelpdeskRestoreSpec = z.output<typeof helpdeskRestoreSpecSchema>

/** metav1.Condition. */
export const conditionSchema = z.strictObject({
  type: z
    .string()
    .regex(
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
    )
    .max(316),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: z.iso.datetime({ offset: true }),
  reason: z
    .string()
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .min(1)
    .max(1024),
  message: z.string().max(32768),
})
export type Condition = z.output<typeof conditionSchema>

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

const backupRecord = z.strictObject({
  name: z.string().min(1),
  completedAt: timestamp,
  sizeBytes: z.number().int().min(0).optional(),
})

const backupFailure = z.strictObject({
  name: z.string().min(1),
  failedAt: timestamp,
  reason: z.string().optional(),
  message: z.string().optional(),
})

export const helpdeskStatusSchema = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  url: z.string().optional(),
  version: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
  backups: z
    .strictObject({
      lastSuccessful: backupRecord.optional(),
      lastFailure: backupFailure.optional(),
    })
    .optional(),
  certificates: z
    .array(
      z.strictObject({
        secretName: z.string().min(1),
        notAfter: timestamp,
        renewalTime: timestamp,
      }),
    )
    .optional(),
})
export type HelpdeskStatus = z.output<typeof helpdeskStatusSchema>

export const helpdeskBackupStatusSchema = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  conditions: z.array(conditionSchema).optional(),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  sizeBytes: z.number().int().min(0).optional(),
  location: z.strictObject({ bucket: z.string(), key: z.string() }).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  keyId: z.string().optional(),
  tier: z.enum(['daily', 'monthly', 'manual']).optional(),
  jobName: z.string().optional().describe('The Job that runs (or ran) the backup.'),
})
export type HelpdeskBackupStatus = z.output<typeof helpdeskBackupStatusSchema>

export const helpdeskRestoreStatusSchema = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  conditions: z.array(conditionSchema).optional(),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  database: z.string().optional().describe('The database the backup was restored into.'),
  jobName: z.string().optional(),
})
export type HelpdeskRestoreStatus = z.output<typeof helpdeskRestoreStatusSchema>
