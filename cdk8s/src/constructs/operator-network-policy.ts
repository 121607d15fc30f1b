import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { PORTS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName } from '../render/labels.ts'

export interface OperatorNetworkPolicyProps {
  readonly labels: Record<string, string>
  readonly selector: Record<string, string>
  /** NetworkPolicyPeers allowed to the metrics port (empty: every source). */
  readonly metricsFrom: readonly Record<string, unknown>[]
}

/** Ports the Kubernetes API answers on: the kubernetes Service and, after DNAT, the servers. */
const API_SERVER_PORTS = [443, 6443]

/**
 * The operator's pods take connections only on the metrics port (which checks tokens too)
 * and open them only to DNS and the Kubernetes API, whose address differs per cluster.
 */
export class OperatorNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: OperatorNetworkPolicyProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const tcp = (port: number) => ({ port, protocol: 'TCP' })
    new ApiObject(this, 'policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: objectName(context, 'operator'), labels: props.labels },
      spec: {
        podSelector: { matchLabels: props.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: props.metricsFrom, ports: [tcp(PORTS.http)] }],
        egress: [
          { ports: [{ port: 53, protocol: 'UDP' }, tcp(53)] },
          { ports: API_SERVER_PORTS.map(tcp) },
        ],
      },
    })
  }
}
