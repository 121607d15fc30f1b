import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'
import { INGRESS_NGINX_RESOURCES, UIDS } from '../defaults.ts'
import { renderContextOf } from '../render/context.ts'
import { objectName, selectorLabels, standardLabels } from '../render/labels.ts'
import {
  containerSecurityJson,
  kubernetesResources,
  type PodSettings,
  scheduling,
} from './pod-spec.ts'

export interface IngressNginxProps {
  readonly image: string
  /** @default IfNotPresent */
  readonly imagePullPolicy?: string
  readonly replicas: number
  readonly version: string
  /** @default - none */
  readonly imagePullSecrets?: readonly { readonly name: string }[]
  /** Scheduling, pod labels and annotations, extras. @default - none */
  readonly settings?: PodSettings
}

const HTTP_PORT = 8080
const HTTPS_PORT = 8443
const STATUS_PORT = 10254

/** The cluster-wide IngressClass of this install: names of cluster objects carry the namespace. */
export function ingressNginxClassName(context: { namespace: string; instance: string }): string {
  return `${context.namespace}-${context.instance}-nginx`
}

/**
 * An ingress-nginx controller for clusters that have none — off by default: ingress-nginx
 * was retired upstream in March 2026 and gets no security fixes. It watches only this
 * namespace, listens on unprivileged ports (no NET_BIND_SERVICE), refuses snippet
 * annotations, runs without the admission webhook, and has its own IngressClass.
 */
export class IngressNginx extends Construct {
  constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id)
    const context = renderContextOf(this)
    const name = objectName(context, 'ingress-nginx')
    const clusterName = `${context.namespace}-${name}`
    const className = ingressNginxClassName(context)
    const controllerValue = `k8s.io/ingress-nginx-${context.namespace}-${context.instance}`
    const labels = standardLabels(context, 'ingress-nginx', props.version)
    const selector = selectorLabels(context, 'ingress-nginx')
    const metadata = { name, labels }
    const object = (objectId: string, body: Record<string, unknown>) =>
      new ApiObject(this, objectId, body as never)

    object('service-account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata })
    object('config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: {
        'allow-snippet-annotations': 'false',
        // The highest risk accepted: annotations rated High or Critical (snippets, auth
        // URLs, …) are refused by the controller too, not only by the chart's schema.
        'annotations-risk-level': 'Medium',
        'server-tokens': 'false',
        'ssl-protocols': 'TLSv1.2 TLSv1.3',
        // The apps send the seed's Strict-Transport-Security themselves.
        hsts: 'false',
      },
    })
    object('role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', 'pods', 'secrets', 'endpoints', 'services'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['networking.k8s.io'],
          resources: ['ingresses'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: [name],
          verbs: ['get', 'update'],
        },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    })
    object('role-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: context.namespace }],
    })
    object('cluster-role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterName, labels },
      rules: [
        {
          apiGroups: ['networking.k8s.io'],
          resources: ['ingressclasses'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    })
    object('cluster-role-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: context.namespace }],
    })
    object('ingress-class', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: className, labels },
      spec: { controller: controllerValue },
    })
    object('service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector,
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
        ],
      },
    })
    const settings = props.settings ?? {}
    const timing = { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 }
    // One controller pod at a time may go in a drain; maxUnavailable never blocks one.
    object('pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    })
    object('deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...labels, ...settings.podLabels },
            annotations: { ...settings.podAnnotations },
          },
          spec: {
            serviceAccountName: name,
            terminationGracePeriodSeconds: 300,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            ...(props.imagePullSecrets ? { imagePullSecrets: props.imagePullSecrets } : {}),
            ...scheduling(settings),
            containers: [
              {
                name: 'controller',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                args: [
                  '/nginx-ingress-controller',
                  `--publish-service=$(POD_NAMESPACE)/${name}`,
                  `--election-id=${name}`,
                  `--controller-class=${controllerValue}`,
                  `--ingress-class=${className}`,
                  `--configmap=$(POD_NAMESPACE)/${name}`,
                  '--watch-namespace=$(POD_NAMESPACE)',
                  `--http-port=${HTTP_PORT}`,
                  `--https-port=${HTTPS_PORT}`,
                ],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  {
                    name: 'POD_NAMESPACE',
                    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                  },
                  ...(settings.extraEnv ?? []),
                ],
                ...(settings.extraEnvFrom ? { envFrom: settings.extraEnvFrom } : {}),
                ports: [
                  { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
                  { name: 'https', containerPort: HTTPS_PORT, protocol: 'TCP' },
                ],
                // Liveness: the process answers on its status port; readiness: nginx is healthy.
                livenessProbe: { tcpSocket: { port: STATUS_PORT }, ...timing },
                readinessProbe: {
                  httpGet: { path: '/healthz', port: STATUS_PORT, scheme: 'HTTP' },
                  ...timing,
                },
                lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
                resources: kubernetesResources(INGRESS_NGINX_RESOURCES),
                volumeMounts: [...(settings.extraVolumeMounts ?? [])],
                // nginx rewrites its configuration under /etc/nginx: a writable root
                // filesystem is the one "restricted" allows and this image needs.
                securityContext: {
                  ...containerSecurityJson(UIDS.ingressNginx),
                  runAsGroup: 82,
                  readOnlyRootFilesystem: false,
                },
              },
            ],
            volumes: [...(settings.extraVolumes ?? [])],
          },
        },
      },
    })
  }
}
