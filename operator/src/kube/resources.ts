/** Where the API server serves one kind: the operator never guesses a plural. */
export interface ResourceType {
  apiVersion: string
  kind: string
  plural: string
  namespaced: boolean
}

const TYPES: ResourceType[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true },
  { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    namespaced: true,
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    plural: 'certificates',
    namespaced: true,
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    plural: 'servicemonitors',
    namespaced: true,
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    plural: 'prometheusrules',
    namespaced: true,
  },
  { apiVersion: 'helpdesk.dev/v1alpha1', kind: 'Helpdesk', plural: 'helpdesks', namespaced: true },
  {
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'HelpdeskBackup',
    plural: 'helpdeskbackups',
    namespaced: true,
  },
  {
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'HelpdeskRestore',
    plural: 'helpdeskrestores',
    namespaced: true,
  },
]

const BY_KIND = new Map(TYPES.map((type) => [`${type.apiVersion}/${type.kind}`, type]))

export class UnknownKindError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`the operator does not manage ${kind} (${apiVersion}): add it to src/kube/resources.ts`)
    this.name = 'UnknownKindError'
  }
}

export function resourceType(apiVersion: string, kind: string): ResourceType {
  const type = BY_KIND.get(`${apiVersion}/${kind}`)
  if (!type) throw new UnknownKindError(apiVersion, kind)
  return type
}

/** The URL path of a collection (no name) or of one object. */
export function resourcePath(
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const group = type.apiVersion.includes('/')
    ? `/apis/${type.apiVersion}`
    : `/api/${type.apiVersion}`
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`
  const sub = subresource === undefined ? '' : `/${subresource}`
  return `${group}${scope}/${type.plural}${object}${sub}`
}
