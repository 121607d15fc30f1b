// The operator's permissions: the operator chart binds exactly these, and the operator's
// tests run under them. The operator engineer may add or remove rules here (with the reason);
// least privilege: never cluster-admin, no wildcard resources or verbs.

export interface PolicyRule {
  apiGroups: string[]
  resources: string[]
  verbs: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

const OWN = ['get', 'list', 'watch', 'create', 'patch', 'delete']

/** Cluster-wide (or per watched namespace): the Helpdesk resources and what they consist of. */
export const OPERATOR_RULES: PolicyRule[] = [
  // Caches; the finalizer is patched onto Helpdesks only.
  {
    apiGroups: ['helpdesk.dev'],
    resources: ['helpdesks', 'helpdeskbackups', 'helpdeskrestores'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['helpdesk.dev'], resources: ['helpdesks'], verbs: ['patch'] },
  // Scheduled backups are HelpdeskBackup objects; retention deletes the pruned ones.
  { apiGroups: ['helpdesk.dev'], resources: ['helpdeskbackups'], verbs: ['create', 'delete'] },
  {
    apiGroups: ['helpdesk.dev'],
    resources: ['helpdesks/status', 'helpdeskbackups/status', 'helpdeskrestores/status'],
    verbs: ['patch'],
  },
  // Owner references with blockOwnerDeletion need update on the owner's finalizers.
  {
    apiGroups: ['helpdesk.dev'],
    resources: [
      'helpdesks/finalizers',
      'helpdeskbackups/finalizers',
      'helpdeskrestores/finalizers',
    ],
    verbs: ['update'],
  },
  // What a Helpdesk consists of (see renderHelpdesk).
  {
    apiGroups: [''],
    resources: ['configmaps', 'secrets', 'services', 'serviceaccounts'],
    verbs: OWN,
  },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: OWN },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: OWN },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: OWN },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: OWN },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: OWN },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: OWN },
  { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: OWN },
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['servicemonitors', 'prometheusrules'],
    verbs: OWN,
  },
  // The backup engine's result line is in the Job pod's termination message.
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  // Deleting a Helpdesk keeps its generated credentials while its volumes remain.
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['list'] },
  // core/v1 Events (what kubectl describe shows); a repeat patches the count. Events go to
  // the namespace of the object they are about, so this grant is as wide as the watch.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
]

/**
 * In the operator's own namespace only: leader election on one Lease. RBAC cannot limit
 * `create` by name (the object does not exist yet); reading and renewing are.
 */
export function leaderElectionRules(leaseName: string): PolicyRule[] {
  return [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [leaseName],
      verbs: ['get', 'update'],
    },
  ]
}

/**
 * Cluster-wide, whatever the watch: /metrics asks the API server who a scraper is
 * (TokenReview) and whether it may read /metrics (SubjectAccessReview).
 */
export const METRICS_AUTH_RULES: PolicyRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  {
    apiGroups: ['authorization.k8s.io'],
    resources: ['subjectaccessreviews'],
    verbs: ['create'],
  },
]

/** What a scraper of the operator's /metrics needs (kube-prometheus-stack grants it). */
export const METRICS_READER_RULES: PolicyRule[] = [
  { apiGroups: [], resources: [], nonResourceURLs: ['/metrics'], verbs: ['get'] },
]

const KINDS = ['helpdesks', 'helpdeskbackups', 'helpdeskrestores']

/** Aggregated into the built-in view role: reading Helpdesk kinds. */
export const VIEW_RULES: PolicyRule[] = [
  { apiGroups: ['helpdesk.dev'], resources: KINDS, verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['helpdesk.dev'],
    resources: KINDS.map((kind) => `${kind}/status`),
    verbs: ['get', 'list', 'watch'],
  },
]

/** Aggregated into the built-in edit and admin roles: writing them. */
export const EDIT_RULES: PolicyRule[] = [
  {
    apiGroups: ['helpdesk.dev'],
    resources: KINDS,
    verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
  },
]
