import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { JOB_RESOURCES, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import { jobPodTemplate, type PodSettings, type SecretEnvVar, type SecretFile } from './pod-spec.ts'

export interface MigrationsProps {
  /** The API image (it carries `helpdesk migrate`). */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  /** The database settings, as the API reads them. */
  readonly environment: Record<string, string>
  readonly secretEnvironment: readonly SecretEnvVar[]
  /** @default - none */
  readonly secretFiles?: readonly SecretFile[]
  /** The API's scheduling and extras. @default - none */
  readonly settings?: PodSettings
}

/**
 * `helpdesk migrate` as an ordinary Job, not a Helm hook: a pre-install hook would wait for a
 * database the release has not created yet, and a post-install hook would wait behind
 * `--wait` for API pods that stay unready until the schema is current — either deadlocks
 * `helm upgrade --install --wait --atomic`. Here the Job, the database and the API start
 * together; the Job retries until the database answers (the command holds an advisory lock,
 * so a second run is harmless), and the API turns ready when the schema is current.
 * The name ends in a hash of the pod template: a new version or database makes a new Job
 * (Job templates are immutable), the same one leaves the finished Job alone.
 */
export class Migrations extends Construct {
  constructor(scope: Construct, id: string, props: MigrationsProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const labels = standardLabels(context, 'migrations', props.version)
    const template = jobPodTemplate({
      uid: UIDS.helpdesk,
      labels,
      imagePullSecrets: props.imagePullSecrets,
      settings: props.settings,
      containers: [
        {
          name: 'migrate',
          image: props.image,
          imagePullPolicy: props.imagePullPolicy,
          args: ['migrate'],
          environment: props.environment,
          secretEnvironment: props.secretEnvironment,
          secretFiles: props.secretFiles,
          resources: JOB_RESOURCES,
        },
      ],
    })
    const hash = context.contentHash('migrations-job', template, 10)
    new ApiObject(this, 'job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${objectName(context, 'migrations')}-${hash}`, labels },
      spec: {
        // Exponential back-off from 10 s: about an hour of retries while the database comes up.
        backoffLimit: 12,
        template,
      },
    })
  }
}
