// The operator's permissions: the operator chart binds exactly these, and the operator's
// tests run under them. The operator engineer may add or remove rules here (with the reason);
// least privilege: never cluster-admin, no wildcard resources or verbs.

export interface PolicyRule {
  apiGroups: string[]
  resources: string[]
  verbs: string[]
  resourceNames?: string[]
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
  { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors'], verbs: OWN },
  // The backup engine's result line is in the Job pod's termination message.
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  // core/v1 Events (what kubectl describe shows); a repeat patches the count.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
]

/** In the operator's own namespace only: leader election. */
export const LEADER_ELECTION_RULES: PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
]
