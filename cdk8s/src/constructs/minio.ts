import { S3_VARIABLES as S3 } from '@helpdesk/config'
import { ApiObject, Duration } from 'cdk8s'
import * as kplus from 'cdk8s-plus-33'
import { Construct } from 'constructs'
import { JOB_RESOURCES, PORTS, UIDS } from '../defaults.ts'
import type { Connection } from '../render/connections.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'
import {
  jobPodTemplate,
  type PodSettings,
  type ResourceRequirements,
  schedulingOnly,
} from './pod-spec.ts'
import { StatefulService } from './stateful-service.ts'

export interface MinioProps {
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** The API image: its `helpdesk create-bucket` creates the bucket once MinIO answers. */
  readonly bucketJobImage: string
  /** How the API reaches the bucket (S3_* and the credentials): the Job uses the same. */
  readonly bucketConnection: Connection
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  readonly bucket: string
  readonly storage: string
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string
  readonly resources: ResourceRequirements
  /** Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: the root credentials. */
  readonly credentialsSecretName: string
  /** The server's pod settings; the bucket Job takes their scheduling. @default - none */
  readonly settings?: PodSettings
  /** @default - none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>
}

/**
 * MinIO for clusters without an S3 service: one server on a PVC, and a Job that creates the
 * attachments bucket (named after its content, so a changed bucket makes a new Job, and an
 * unchanged one is left alone). The Job runs our own image, which waits for MinIO to answer
 * (on a first install it starts before MinIO is ready): no client image of its own to pin.
 */
export class Minio extends Construct {
  readonly service: StatefulService

  constructor(scope: Construct, id: string, props: MinioProps) {
    super(scope, id)
    const credentials = (name: string, key: string) => ({
      name,
      secretName: props.credentialsSecretName,
      key,
    })
    const health = (path: string, period = 10, failures = 3) =>
      kplus.Probe.fromHttpGet(path, {
        port: PORTS.minio,
        periodSeconds: Duration.seconds(period),
        failureThreshold: failures,
      })
    this.service = new StatefulService(this, 'server', {
      component: 'minio',
      image: props.image,
      imagePullPolicy: props.imagePullPolicy,
      imagePullSecrets: props.imagePullSecrets,
      version: props.version,
      uid: UIDS.minio,
      port: PORTS.minio,
      args: ['server', '/data', '--address', `:${PORTS.minio}`, '--certs-dir', '/tmp/minio-certs'],
      environment: { MINIO_BROWSER: 'off', HOME: '/tmp' },
      secretEnvironment: [
        // The Secret the API reads its S3 credentials from, by the same keys.
        credentials('MINIO_ROOT_USER', S3.accessKeyId),
        credentials('MINIO_ROOT_PASSWORD', S3.secretAccessKey),
      ],
      dataPath: '/data',
      storage: props.storage,
      storageClassName: props.storageClassName,
      resources: props.resources,
      startup: health('/minio/health/live', 5, 60),
      readiness: health('/minio/health/ready'),
      liveness: health('/minio/health/live'),
      settings: props.settings,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
    })
    this.addBucketJob(props)
  }

  private addBucketJob(props: MinioProps): void {
    const context = renderContextOf(this)
    const labels = standardLabels(context, 'minio', props.version)
    const template = jobPodTemplate({
      uid: UIDS.helpdesk,
      labels,
      restartPolicy: 'Never',
      imagePullSecrets: props.imagePullSecrets,
      settings: props.settings && schedulingOnly(props.settings),
      containers: [
        {
          name: 'create-bucket',
          image: props.bucketJobImage,
          imagePullPolicy: props.imagePullPolicy,
          args: ['create-bucket'],
          environment: props.bucketConnection.environment,
          secretEnvironment: props.bucketConnection.secretEnvironment,
          resources: JOB_RESOURCES,
        },
      ],
    })
    const hash = context.contentHash('minio-bucket-job', template, 10)
    new ApiObject(this, 'bucket-job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${objectName(context, 'minio-bucket')}-${hash}`, labels },
      // The command waits for MinIO itself; a retry covers a lost node, not a slow start.
      spec: { backoffLimit: 3, template },
    })
  }
}
