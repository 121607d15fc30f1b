// The public API of @helpdesk/cdk8s (documented in README.md): what the operator, the tests
// and other packages may import. Everything else is internal.

export { HELPDESK_API_VERSION, HELPDESK_GROUP, helpdeskCrds } from './charts/crds.ts'
export {
  leaderElectionRules,
  METRICS_AUTH_RULES,
  OPERATOR_RULES,
  type PolicyRule,
} from './charts/operator-rbac.ts'
export { RESULT_FILE } from './constructs/backup-job.ts'
export { GENERATED_ANNOTATION, SEALS_DATABASE_ANNOTATION } from './constructs/generated-secret.ts'
export { API_RESOURCES, HELPDESK_VERSION, IMAGES } from './defaults.ts'
export type { RandomCredential } from './render/context.ts'
export {
  type BackupJobInput,
  backupJob,
  type HelpdeskRef,
  type RestoreJobInput,
  restoreDatabaseName,
  restoreJob,
} from './render/engine-jobs.ts'
export type { KubeObject } from './render/kube-object.ts'
export {
  OPERATOR_MANAGER,
  type RenderHelpdeskInput,
  renderHelpdesk,
} from './render/render-helpdesk.ts'
export {
  type HelpdeskSpec,
  type HelpdeskSpecInput,
  type HelpdeskValues,
  type HelpdeskValuesInput,
  helpdeskSpecSchema,
  helpdeskValuesSchema,
} from './schema/helpdesk.ts'
export { imageReference } from './schema/images.ts'
export { OPERATOR_RESOURCES } from './schema/operator-values.ts'
export {
  type BackupLocation,
  backupLocationSchema,
  type Condition,
  conditionSchema,
  HELPDESK_CONDITION_TYPES,
  type HelpdeskBackupSpec,
  type HelpdeskBackupStatus,
  type HelpdeskRestoreSpec,
  type HelpdeskRestoreStatus,
  type HelpdeskStatus,
  helpdeskBackupSpecSchema,
  helpdeskBackupStatusSchema,
  helpdeskRestoreSpecSchema,
  helpdeskRestoreStatusSchema,
  helpdeskStatusSchema,
} from './schema/resources.ts'
