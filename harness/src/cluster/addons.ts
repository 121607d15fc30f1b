// What a node needs besides the kubelet, as a small cluster distribution ships it: CoreDNS
// (cluster names only: without a `forward` block no name is ever sent to another resolver),
// the local-path provisioner as the default StorageClass (volumes are directories under the
// cluster directory), metrics-server for `kubectl top` and HPAs, and kube-router in firewall
// mode, which enforces NetworkPolicies (a test-time enforcer only: it is never shipped).
import { mkdirSync } from 'node:fs'
import { toolPath } from '../tools.ts'
import { run } from './command.ts'
import { type Component, startComponent } from './component.ts'
import { componentKubeconfig } from './control-plane.ts'
import { CLUSTER_DOMAIN, DNS_SERVICE_IP, NODE_NAME, paths, SERVICE_CIDR } from './layout.ts'
import type { ClusterPki } from './pki.ts'

/** The add-ons' images, built by images/scripts/build-stand-ins.sh from `make tools` builds. */
export const ADDON_IMAGES = {
  pause: 'localhost/helpdesk/cluster/pause:1',
  coredns: 'localhost/helpdesk/cluster/coredns:1',
  'local-path-provisioner': 'localhost/helpdesk/cluster/local-path-provisioner:1',
  busybox: 'localhost/helpdesk/cluster/busybox:1',
  'metrics-server': 'localhost/helpdesk/cluster/metrics-server:1',
} as const

const SYSTEM = 'kube-system'

type Manifest = Record<string, unknown>

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
}

function serviceAccount(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: SYSTEM } }
}

function clusterRole(
  name: string,
  rules: Manifest[],
  labels: Record<string, string> = {},
): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
  }
}

function clusterRoleBinding(name: string, role: string, subject: Manifest): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [subject],
  }
}

const serviceAccountSubject = (name: string) => ({
  kind: 'ServiceAccount',
  name,
  namespace: SYSTEM,
})
const read = ['get', 'list', 'watch']

function deployment(name: string, pod: Manifest): Manifest {
  const labels = { 'k8s-app': name }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: SYSTEM, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { priorityClassName: 'system-cluster-critical', serviceAccountName: name, ...pod },
      },
    },
  }
}

const COREFILE = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
    loop
    loadbalance
}
`

function coredns(): Manifest[] {
  return [
    serviceAccount('coredns'),
    clusterRole('helpdesk:coredns', [
      {
        apiGroups: [''],
        resources: ['endpoints', 'services', 'pods', 'namespaces'],
        verbs: ['list', 'watch'],
      },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]),
    clusterRoleBinding('helpdesk:coredns', 'helpdesk:coredns', serviceAccountSubject('coredns')),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: SYSTEM },
      data: { Corefile: COREFILE },
    },
    deployment('coredns', {
      dnsPolicy: 'Default',
      containers: [
        {
          name: 'coredns',
          image: ADDON_IMAGES.coredns,
          imagePullPolicy: 'Never',
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          ],
          readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
          livenessProbe: {
            httpGet: { path: '/health', port: 8080 },
            periodSeconds: 10,
            failureThreshold: 5,
          },
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: restricted,
          volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: SYSTEM, labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        clusterIP: DNS_SERVICE_IP,
        selector: { 'k8s-app': 'coredns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    },
  ]
}

const HELPER_POD = `apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  priorityClassName: system-node-critical
  containers:
    - name: helper-pod
      image: ${ADDON_IMAGES.busybox}
      imagePullPolicy: Never
`

function localPath(): Manifest[] {
  const name = 'local-path-provisioner'
  return [
    serviceAccount(name),
    clusterRole(`helpdesk:${name}`, [
      {
        apiGroups: [''],
        resources: ['nodes', 'persistentvolumeclaims', 'configmaps'],
        verbs: read,
      },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['update', 'patch'] },
      {
        apiGroups: [''],
        resources: ['persistentvolumes'],
        verbs: [...read, 'create', 'patch', 'update', 'delete'],
      },
      { apiGroups: [''], resources: ['pods'], verbs: [...read, 'create', 'delete'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
    ]),
    clusterRoleBinding(`helpdesk:${name}`, `helpdesk:${name}`, serviceAccountSubject(name)),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'local-path-config', namespace: SYSTEM },
      data: {
        'config.json': JSON.stringify({
          nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [paths.volumes] }],
        }),
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"\n',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"\n',
        'helperPod.yaml': HELPER_POD,
      },
    },
    deployment(name, {
      containers: [
        {
          name,
          image: ADDON_IMAGES['local-path-provisioner'],
          imagePullPolicy: 'Never',
          args: [
            'start',
            '--config=/etc/config/config.json',
            `--service-account-name=${name}`,
            '--provisioner-name=rancher.io/local-path',
            `--helper-image=${ADDON_IMAGES.busybox}`,
            '--configmap-name=local-path-config',
          ],
          env: [
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          ],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: restricted,
          volumeMounts: [{ name: 'config', mountPath: '/etc/config', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'local-path-config' } }],
    }),
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
    },
  ]
}

function metricsServer(): Manifest[] {
  const name = 'metrics-server'
  return [
    serviceAccount(name),
    clusterRole(
      'system:aggregated-metrics-reader',
      [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: read }],
      {
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      },
    ),
    clusterRole('system:metrics-server', [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes'], verbs: read },
    ]),
    clusterRoleBinding(
      'system:metrics-server',
      'system:metrics-server',
      serviceAccountSubject(name),
    ),
    clusterRoleBinding(
      'metrics-server:system:auth-delegator',
      'system:auth-delegator',
      serviceAccountSubject(name),
    ),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'metrics-server-auth-reader', namespace: SYSTEM },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'extension-apiserver-authentication-reader',
      },
      subjects: [serviceAccountSubject(name)],
    },
    deployment(name, {
      containers: [
        {
          name,
          image: ADDON_IMAGES['metrics-server'],
          imagePullPolicy: 'Never',
          args: [
            '--cert-dir=/tmp',
            '--secure-port=10250',
            '--kubelet-preferred-address-types=InternalIP',
            '--kubelet-use-node-status-port',
            '--kubelet-insecure-tls',
            '--metric-resolution=15s',
          ],
          ports: [{ name: 'https', containerPort: 10250 }],
          readinessProbe: {
            httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' },
            periodSeconds: 5,
          },
          resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: restricted,
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: SYSTEM },
      spec: {
        selector: { 'k8s-app': name },
        ports: [{ name: 'https', port: 443, targetPort: 'https' }],
      },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        service: { name, namespace: SYSTEM },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ]
}

/** Read access kube-router's firewall needs, for the user of its client certificate. */
function kubeRouterAccess(): Manifest[] {
  return [
    clusterRole('helpdesk:kube-router', [
      {
        apiGroups: [''],
        resources: ['pods', 'namespaces', 'nodes', 'services', 'endpoints'],
        verbs: read,
      },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]),
    clusterRoleBinding('helpdesk:kube-router', 'helpdesk:kube-router', {
      kind: 'User',
      name: 'helpdesk:kube-router',
      apiGroup: 'rbac.authorization.k8s.io',
    }),
  ]
}

/** kubectl with the cluster's admin kubeconfig. */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<string> {
  return run(toolPath('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], {
    input,
    timeoutMs: 600_000,
  })
}

export async function applyAddons(kubeconfig: string): Promise<void> {
  mkdirSync(paths.volumes, { recursive: true })
  const items = [...coredns(), ...localPath(), ...metricsServer(), ...kubeRouterAccess()]
  await kubectl(
    kubeconfig,
    ['apply', '--server-side', '--field-manager=helpdesk-harness', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  )
}

export async function waitForAddons(kubeconfig: string): Promise<void> {
  await kubectl(kubeconfig, [
    'wait',
    '--namespace=kube-system',
    '--for=condition=Available',
    '--timeout=300s',
    'deployment/coredns',
    'deployment/local-path-provisioner',
    'deployment/metrics-server',
  ])
  await kubectl(kubeconfig, [
    'wait',
    '--for=condition=Available',
    '--timeout=300s',
    'apiservice/v1beta1.metrics.k8s.io',
  ])
}

export async function startKubeRouter(pki: ClusterPki): Promise<Component> {
  const kubeconfig = componentKubeconfig('kube-router', pki, pki.kubeRouter)
  return startComponent({
    name: 'cluster-kube-router',
    command: toolPath('kube-router'),
    args: [
      `--kubeconfig=${kubeconfig}`,
      '--run-firewall=true',
      '--run-router=false',
      '--run-service-proxy=false',
      '--enable-cni=false',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--hostname-override=${NODE_NAME}`,
      '--health-port=0',
      '--metrics-port=0',
    ],
    env: { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    // Its policy chains exist once the first sync has run.
    ready: async () => (await run('iptables', ['-w', '-S'])).includes('KUBE-ROUTER-FORWARD'),
    readyTimeoutMs: 180_000,
  })
}
