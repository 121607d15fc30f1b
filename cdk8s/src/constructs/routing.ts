import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { PORTS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, standardLabels } from '../render/labels.ts'

export interface GatewayParentRef {
  readonly name: string
  readonly namespace?: string
  readonly sectionName?: string
  readonly group?: string
  readonly kind?: string
}

export interface RoutingProps {
  readonly version: string
  readonly host: string
  /** An HTTPRoute attached to these Gateways. @default - an Ingress */
  readonly gatewayParents?: readonly GatewayParentRef[]
  /** IngressClass of the Ingress. */
  readonly ingressClassName: string
  /** kubernetes.io/tls Secret for the host. */
  readonly tlsSecretName: string
  /** ingress-nginx: requests per second per client IP. */
  readonly rateLimitPerSecond: number
  /** ingress-nginx: largest request body, e.g. 30m. */
  readonly maxBodySize: string
  /** More Ingress annotations; they win over the computed ones. @default - none */
  readonly annotations?: Record<string, string>
}

/**
 * Public routing: /api to the API, everything else to the web app (which serves the SPA).
 * The API's /metrics and probes stay unreachable from outside. Either a standard Ingress
 * with only low-risk ingress-nginx annotations (never snippets), or a Gateway API
 * HTTPRoute; TLS terminates at the ingress controller or the Gateway.
 */
export class Routing extends Construct {
  constructor(scope: Construct, id: string, props: RoutingProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const metadata = {
      name: objectName(context, 'web'),
      labels: standardLabels(context, 'web', props.version),
    }
    const api = objectName(context, 'api')
    const web = objectName(context, 'web')
    if (props.gatewayParents) {
      const rule = (prefix: string, service: string) => ({
        matches: [{ path: { type: 'PathPrefix', value: prefix } }],
        backendRefs: [{ name: service, port: PORTS.http }],
      })
      new ApiObject(this, 'http-route', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata,
        spec: {
          parentRefs: props.gatewayParents,
          hostnames: [props.host],
          rules: [rule('/api', api), rule('/', web)],
        },
      })
      return
    }
    const path = (prefix: string, service: string) => ({
      path: prefix,
      pathType: 'Prefix',
      backend: { service: { name: service, port: { number: PORTS.http } } },
    })
    new ApiObject(this, 'ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        ...metadata,
        annotations: {
          'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
          'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
          'nginx.ingress.kubernetes.io/proxy-body-size': props.maxBodySize,
          'nginx.ingress.kubernetes.io/limit-rps': String(props.rateLimitPerSecond),
          ...props.annotations,
        },
      },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: [{ hosts: [props.host], secretName: props.tlsSecretName }],
        rules: [{ host: props.host, http: { paths: [path('/api', api), path('/', web)] } }],
      },
    })
  }
}
