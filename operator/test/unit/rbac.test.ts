// The operator chart's RBAC (cdk8s/src/charts/operator-rbac.ts) against what the operator does:
// every kind it renders is one it caches and may manage, and the rules grant exactly the
// verbs the operator uses — nothing more. The tests under test/ run the operator under
// these rules, so a missing rule fails them; this test fails on a superfluous one.

import {
  helpdeskSpecSchema,
  leaderElectionRules,
  OPERATOR_RULES,
  type PolicyRule,
  renderHelpdesk,
} from '@helpdesk/cdk8s'
import { describe, expect, it } from '@jest/globals'
import { OWNED_KINDS } from '../../src/caches.ts'
import { resourceType } from '../../src/kube/resources.ts'

const MANAGE = ['create', 'delete', 'get', 'list', 'patch', 'watch']
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '')

function grants(rules: readonly PolicyRule[]): string[] {
  return rules
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.map((verb) => `${group}/${resource}:${verb}`),
        ),
      ),
    )
    .sort()
}

/** What the operator's code calls, kind by kind (see README "RBAC"). */
function needed(): string[] {
  const owned = OWNED_KINDS.flatMap(({ apiVersion, kind }) =>
    MANAGE.map((verb) => `${groupOf(apiVersion)}/${resourceType(apiVersion, kind).plural}:${verb}`),
  )
  const custom = [
    ...['get', 'list', 'watch', 'patch'].map((verb) => `helpdesk.dev/helpdesks:${verb}`),
    ...['get', 'list', 'watch', 'create', 'delete'].map(
      (verb) => `helpdesk.dev/helpdeskbackups:${verb}`,
    ),
    ...['get', 'list', 'watch'].map((verb) => `helpdesk.dev/helpdeskrestores:${verb}`),
    ...['helpdesks', 'helpdeskbackups', 'helpdeskrestores'].flatMap((plural) => [
      `helpdesk.dev/${plural}/status:patch`,
      `helpdesk.dev/${plural}/finalizers:update`,
    ]),
  ]
  return [
    ...owned,
    ...custom,
    '/pods:list',
    '/persistentvolumeclaims:list',
    '/events:create',
    '/events:patch',
  ].sort()
}

describe('the operator chart’s RBAC', () => {
  it('grants exactly what the operator uses', () => {
    expect(grants(OPERATOR_RULES)).toEqual(needed())
  })

  it('limits the operator’s own namespace to the Lease it elects a leader with', () => {
    const rules = leaderElectionRules('hd-operator')
    expect(grants(rules)).toEqual([
      'coordination.k8s.io/leases:create',
      'coordination.k8s.io/leases:get',
      'coordination.k8s.io/leases:update',
    ])
    // RBAC cannot name an object that does not exist yet: only create goes without a name.
    for (const rule of rules) {
      expect(rule.resourceNames ?? ['(any)']).toEqual(
        rule.verbs.includes('create') ? ['(any)'] : ['hd-operator'],
      )
    }
  })

  it('covers every kind the constructs render, in every component combination', () => {
    const owned = new Set(OWNED_KINDS.map(({ apiVersion, kind }) => `${apiVersion}/${kind}`))
    const variants = [
      { host: 'a.example' },
      {
        host: 'a.example',
        database: { external: { host: 'db.example', passwordSecretRef: { name: 'db' } } },
        redis: { external: { host: 'redis.example' } },
        storage: { s3: { bucket: 'attachments', credentialsSecretRef: { name: 's3' } } },
        ingress: { gateway: { parentRefs: [{ name: 'gateway' }] } },
        monitoring: { serviceMonitor: { enabled: true }, grafanaDashboard: { enabled: true } },
      },
      {
        host: 'a.example',
        ingress: { tls: { mode: 'certManager', issuerRef: { name: 'letsencrypt' } } },
      },
    ]
    for (const variant of variants) {
      const spec = helpdeskSpecSchema.parse(variant)
      for (const object of renderHelpdesk({ name: 'acme', namespace: 'support', spec })) {
        expect(owned).toContain(`${object.apiVersion}/${object.kind}`)
      }
    }
  })
})
