// Who may read /metrics: the bearer token's owner, as the Kubernetes API server knows them
// (TokenReview), allowed to `get` the non-resource URL /metrics (SubjectAccessReview) —
// what kube-prometheus-stack's Prometheus has, and what controller-runtime's operators ask.
import { createHash } from 'node:crypto'
import type { KubeClient } from '../kube/client.ts'
import type { Clock } from './clock.ts'

/** 200: allowed; 401: no or an unknown token; 403: a known identity without the grant. */
export type MetricsDecision = 200 | 401 | 403

export type MetricsAuthorizer = (authorization: string | undefined) => Promise<MetricsDecision>

/** Scrapes repeat every few seconds with the same token: ask the API server once a minute. */
const CACHE_MS = 60_000
const CACHE_ENTRIES = 64

interface TokenReview {
  status?: {
    authenticated?: boolean
    user?: { username?: string; uid?: string; groups?: string[] }
  }
}

interface SubjectAccessReview {
  status?: { allowed?: boolean }
}

export function kubernetesMetricsAuthorizer(client: KubeClient, clock: Clock): MetricsAuthorizer {
  const decisions = new Map<string, { decision: MetricsDecision; until: number }>()
  return async (authorization) => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]
    if (!token) return 401
    const key = createHash('sha256').update(token).digest('hex')
    const now = clock.now().getTime()
    const cached = decisions.get(key)
    if (cached && cached.until > now) return cached.decision
    const decision = await review(client, token)
    if (decisions.size >= CACHE_ENTRIES) decisions.delete(decisions.keys().next().value as string)
    decisions.set(key, { decision, until: now + CACHE_MS })
    return decision
  }
}

async function review(client: KubeClient, token: string): Promise<MetricsDecision> {
  const reviewed = await client.request<TokenReview>(
    'POST',
    '/apis/authentication.k8s.io/v1/tokenreviews',
    { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } },
  )
  const user = reviewed.status?.authenticated ? reviewed.status.user : undefined
  if (!user?.username) return 401
  const access = await client.request<SubjectAccessReview>(
    'POST',
    '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          nonResourceAttributes: { path: '/metrics', verb: 'get' },
        },
      },
    },
  )
  return access.status?.allowed ? 200 : 403
}
