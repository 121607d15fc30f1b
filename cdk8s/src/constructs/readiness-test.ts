import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { JOB_RESOURCES, PORTS, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import { jobPodTemplate, type PodSettings } from './pod-spec.ts'

export interface ReadinessTestProps {
  /** The API image: it has Node.js, so the check needs no third-party image. */
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  readonly version: string
  /** Add the NetworkPolicy the test pod needs (the instance denies by default). */
  readonly networkPolicy: boolean
  /** The API's scheduling. @default - none */
  readonly settings?: PodSettings
}

/** `helm test`: a pod that fetches the API's /readyz through its Service and fails on non-200. */
export class ReadinessTest extends Construct {
  constructor(scope: Construct, id: string, props: ReadinessTestProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const labels = standardLabels(context, 'test', props.version)
    const url = `http://${objectName(context, 'api')}:${PORTS.http}/readyz`
    const template = jobPodTemplate({
      uid: UIDS.helpdesk,
      labels,
      imagePullSecrets: props.imagePullSecrets,
      settings: props.settings,
      containers: [
        {
          name: 'readyz',
          image: props.image,
          imagePullPolicy: props.imagePullPolicy,
          args: [],
          resources: JOB_RESOURCES,
        },
      ],
    })
    const [container] = template.spec.containers
    new ApiObject(this, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: objectName(context, 'test-readyz'),
        labels: template.metadata.labels,
        annotations: {
          'helm.sh/hook': 'test',
          'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
          ...template.metadata.annotations,
        },
      },
      spec: {
        ...template.spec,
        containers: [
          {
            ...container,
            command: ['node', '--input-type=module', '--eval', READYZ_CHECK],
            env: [{ name: 'READYZ_URL', value: url }],
          },
        ],
      },
    })
    if (props.networkPolicy) {
      new ApiObject(this, 'network-policy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: objectName(context, 'test'),
          labels,
          // Created for `helm test` only, before the pod (lower weight), and kept until the
          // next test run: a hook-succeeded deletion could remove it while the pod still runs.
          annotations: {
            'helm.sh/hook': 'test',
            'helm.sh/hook-weight': '-1',
            'helm.sh/hook-delete-policy': 'before-hook-creation',
          },
        },
        spec: {
          podSelector: { matchLabels: selectorLabels(context, 'test') },
          policyTypes: ['Egress'],
          egress: [
            {
              ports: [
                { port: 53, protocol: 'UDP' },
                { port: 53, protocol: 'TCP' },
              ],
            },
            {
              to: [{ podSelector: { matchLabels: selectorLabels(context, 'api') } }],
              ports: [{ port: PORTS.http, protocol: 'TCP' }],
            },
          ],
        },
      })
    }
  }
}

const READYZ_CHECK = `
const response = await fetch(process.env.READYZ_URL, { signal: AbortSignal.timeout(10000) })
console.log(response.status, await response.text())
process.exit(response.status === 200 ? 0 : 1)
`.trim()
