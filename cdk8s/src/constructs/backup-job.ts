import {
  BACKUP_KEYRING_DIR,
  BACKUP_S3_VARIABLES,
  BACKUP_VARIABLES,
  S3_VARIABLES,
} from '@helpdesk/config'
import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { JOB_RESOURCES, UIDS } from '../defaults.ts'
import type { Connection } from '../render/connections.ts'
import { renderContextOf } from '../render/context.ts'
import { standardLabels } from '../render/labels.ts'
import {
  type JobContainer,
  jobPodTemplate,
  type PodSettings,
  type SecretEnvVar,
} from './pod-spec.ts'

/** Where backups go (docs/configuration.md "Backup engine": BACKUP_S3_*). */
export interface BackupTarget {
  readonly bucket: string
  /** @default - none */
  readonly prefix?: string
  readonly region: string
  /** @default - AWS */
  readonly endpoint?: string
  readonly forcePathStyle: boolean
  /** Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. @default - the SDK's default chain */
  readonly credentialsSecretName?: string
  /** Server-side encryption of what the engine writes. */
  readonly serverSideEncryption: 'AES256' | 'aws:kms' | 'none'
  /** @default - the bucket's default KMS key */
  readonly kmsKeyId?: string
  /** The prune step sets the bucket's lifecycle rules (the bucket is the install's own). */
  readonly manageLifecycle: boolean
}

const B = BACKUP_S3_VARIABLES

/** The operator reads a backup's result from the pod's termination message. */
export const RESULT_FILE = '/dev/termination-log'

export type EngineCommand =
  | { readonly command: 'backup'; readonly tier: 'daily' | 'monthly' | 'manual' }
  | { readonly command: 'prune'; readonly daily: number; readonly monthly: number }
  | { readonly command: 'verify' }
  | {
      readonly command: 'restore'
      readonly backupId?: string
      readonly inPlace?: { readonly database: string }
      readonly targetDatabase?: string
    }

export interface BackupEngineProps {
  /** The API image: it carries `helpdesk backup|restore|verify|prune`. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  /** The database and attachments bucket, as the API reads them. */
  readonly connection: Connection
  readonly target: BackupTarget
  /** Secret whose keys are the keyring (key id -> base64 key). */
  readonly keyringSecretName: string
  /** The Jobs' ServiceAccount (cloud identity for the backup bucket). */
  readonly serviceAccountName: string
  /** The API's scheduling and extras. @default - none */
  readonly settings?: PodSettings
}

/** One step of a backup pod: `helpdesk <command>` with the engine's environment. */
export function engineContainer(props: BackupEngineProps, step: EngineCommand): JobContainer {
  const { target } = props
  const environment: Record<string, string> = {
    ...props.connection.environment,
    [B.bucket]: target.bucket,
    ...(target.prefix === undefined ? {} : { [B.prefix]: target.prefix }),
    [B.region]: target.region,
    ...(target.endpoint === undefined ? {} : { [B.endpoint]: target.endpoint }),
    [B.forcePathStyle]: String(target.forcePathStyle),
    [B.serverSideEncryption]: target.serverSideEncryption,
    ...(target.kmsKeyId === undefined ? {} : { [B.kmsKeyId]: target.kmsKeyId }),
    ...(step.command === 'prune' ? { [B.manageLifecycle]: String(target.manageLifecycle) } : {}),
    [BACKUP_VARIABLES.keyringDir]: BACKUP_KEYRING_DIR,
    ...(step.command === 'backup' ? { [BACKUP_VARIABLES.resultFile]: RESULT_FILE } : {}),
  }
  const secret = target.credentialsSecretName
  // Without a Secret the SDK's default chain finds the pod's cloud identity. The Secret holds
  // the SDK's standard key names; the engine reads them under the backup bucket's names.
  const targetCredentials: SecretEnvVar[] = secret
    ? [
        { name: B.accessKeyId, secretName: secret, key: S3_VARIABLES.accessKeyId },
        { name: B.secretAccessKey, secretName: secret, key: S3_VARIABLES.secretAccessKey },
      ]
    : []
  return {
    name: step.command,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    args: engineArguments(step),
    environment,
    secretEnvironment: [...props.connection.secretEnvironment, ...targetCredentials],
    secretFiles: props.connection.secretFiles,
    secretDirectories: [
      ...(props.connection.secretDirectories ?? []),
      { volume: 'backup-keys', secretName: props.keyringSecretName, path: BACKUP_KEYRING_DIR },
    ],
    resources: JOB_RESOURCES,
  }
}

function engineArguments(step: EngineCommand): string[] {
  switch (step.command) {
    case 'backup':
      return ['backup', '--tier', step.tier]
    case 'prune':
      return ['prune', '--daily', String(step.daily), '--monthly', String(step.monthly)]
    case 'verify':
      return ['verify']
    case 'restore':
      return [
        'restore',
        ...(step.backupId ? ['--backup', step.backupId] : []),
        ...(step.inPlace ? ['--in-place', '--confirm', step.inPlace.database] : []),
        ...(step.targetDatabase ? ['--target-database', step.targetDatabase] : []),
      ]
  }
}

/** The pod template of a backup-engine run: the steps run one after the other. */
export function enginePodTemplate(
  context: ReturnType<typeof renderContextOf>,
  props: BackupEngineProps,
  steps: readonly EngineCommand[],
  labels: Record<string, string> = {},
) {
  const containers = steps.map((step) => engineContainer(props, step))
  return jobPodTemplate({
    uid: UIDS.helpdesk,
    labels: { ...standardLabels(context, 'backup', props.version), ...labels },
    imagePullSecrets: props.imagePullSecrets,
    serviceAccountName: props.serviceAccountName,
    settings: props.settings,
    // Init containers run in order and stop the pod at the first failure: a prune never
    // runs after a failed backup.
    initContainers: containers.slice(0, -1),
    containers: containers.slice(-1),
  })
}

export interface BackupJobProps extends BackupEngineProps {
  readonly name: string
  readonly steps: readonly EngineCommand[]
  /** Extra labels on the Job and its pod (e.g. the HelpdeskBackup it belongs to). @default - none */
  readonly labels?: Record<string, string>
  /** @default 1: the engine removes a partial backup, so one retry is safe. */
  readonly backoffLimit?: number
}

/** A Job running the backup engine: on-demand backups, restores and drills (the operator). */
export class BackupJob extends Construct {
  readonly object: ApiObject

  constructor(scope: Construct, id: string, props: BackupJobProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const template = enginePodTemplate(context, props, props.steps, props.labels)
    this.object = new ApiObject(this, 'job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: props.name,
        labels: { ...standardLabels(context, 'backup', props.version), ...props.labels },
      },
      spec: { backoffLimit: props.backoffLimit ?? 1, template },
    })
  }
}
