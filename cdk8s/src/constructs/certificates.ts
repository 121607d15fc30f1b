import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { renderContextOf } from '../render/context.ts'
import { type Component, standardLabels } from '../render/labels.ts'

export interface IssuerRef {
  readonly name: string
  readonly kind: string
  readonly group: string
}

export interface CertificateRequest {
  readonly component: Component
  /** Name of the Certificate. */
  readonly name: string
  /** Secret cert-manager writes. */
  readonly secretName: string
  readonly dnsNames: readonly string[]
}

export interface CertificatesProps {
  readonly version: string
  readonly issuerRef: IssuerRef
  /** Go duration, e.g. 2160h. */
  readonly duration: string
  readonly renewBefore: string
  readonly certificates: readonly CertificateRequest[]
}

/** cert-manager Certificates, for TLS mode certManager: cert-manager writes the Secrets. */
export class Certificates extends Construct {
  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id)
    const context = renderContextOf(this)
    for (const request of props.certificates) {
      new ApiObject(this, request.name, {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: {
          name: request.name,
          labels: standardLabels(context, request.component, props.version),
        },
        spec: {
          secretName: request.secretName,
          dnsNames: request.dnsNames,
          issuerRef: props.issuerRef,
          duration: props.duration,
          renewBefore: props.renewBefore,
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      })
    }
  }
}
