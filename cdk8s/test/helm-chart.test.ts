// charts/helpdesk and charts/helpdesk-operator as helm sees them: lint, the value-set matrix
// (each render equal to the constructs' own), and bad values refused with a clear message.

import { cpSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { helm, serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { OPERATOR_RULES } from '../src/charts/operator-rbac.ts'
import type { KubeObject } from '../src/render/kube-object.ts'
import {
  byKind,
  comparable,
  find,
  HELPDESK_CHART,
  helmTemplate,
  OPERATOR_CHART,
  parseManifests,
  synthObjects,
  valuesFile,
} from './support/charts.ts'
import { VALUE_SETS } from './support/value-sets.ts'

const names = (objects: KubeObject[]) =>
  objects.map((object) => `${object.kind}/${object.metadata.name}`)

interface Container {
  resources?: { requests?: { cpu?: string } }
}

/** Long-running workloads with their replicas at rest (the HPA minimum where there is one). */
function workloads(objects: KubeObject[]): { replicas: number; containers: Container[] }[] {
  const minimums = new Map(
    byKind(objects, 'HorizontalPodAutoscaler').map((hpa) => {
      const spec = hpa.spec as { scaleTargetRef: { name: string }; minReplicas: number }
      return [spec.scaleTargetRef.name, spec.minReplicas]
    }),
  )
  return [...byKind(objects, 'Deployment'), ...byKind(objects, 'StatefulSet')].map((workload) => {
    const spec = workload.spec as {
      replicas?: number
      template: { spec: { containers: Container[] } }
    }
    return {
      replicas: minimums.get(workload.metadata.name) ?? spec.replicas ?? 1,
      containers: spec.template.spec.containers,
    }
  })
}

function millicores(container: Container): number {
  const cpu = container.resources?.requests?.cpu ?? '0'
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000
}

describe('helm lint --strict', () => {
  it.each(Object.entries(VALUE_SETS))(
    'passes charts/helpdesk with %s values',
    async (_name, values) => {
      const output = await helm(['lint', '--strict', HELPDESK_CHART, '-f', valuesFile(values)])
      expect(output).toContain('0 chart(s) failed')
    },
  )

  it('passes charts/helpdesk-operator', async () => {
    expect(await helm(['lint', '--strict', OPERATOR_CHART])).toContain('0 chart(s) failed')
  })
})

describe('helm template over the value-set matrix', () => {
  it.each(Object.entries(VALUE_SETS))(
    'renders %s exactly as the constructs do',
    async (_name, values) => {
      const rendered = await helmTemplate(values, { tests: true })
      expect(comparable(rendered)).toEqual(comparable(synthObjects(values, { tests: true })))
    },
  )

  it('defaults: the full stack with Ingress, managed Postgres, Redis and MinIO', async () => {
    const objects = await helmTemplate({})
    expect(names(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/demo-api',
        'Deployment/demo-web',
        'StatefulSet/demo-postgres',
        'StatefulSet/demo-redis',
        'StatefulSet/demo-minio',
        'Ingress/demo-web',
        'NetworkPolicy/demo-default-deny',
        'HorizontalPodAutoscaler/demo-api',
        'PodDisruptionBudget/demo-api',
      ]),
    )
    expect(byKind(objects, 'CronJob')).toEqual([])
    const ingress = find(objects, 'Ingress', 'demo-web')
    expect(ingress.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['helpdesk.local'], secretName: 'demo-tls' }],
    })
    const annotations = Object.keys(ingress.metadata.annotations ?? {})
    expect(annotations.filter((key) => /snippet/i.test(key))).toEqual([])
  })

  it('external: no StatefulSet, the API pointed at the external services', async () => {
    const objects = await helmTemplate(VALUE_SETS.external as Record<string, unknown>)
    expect(byKind(objects, 'StatefulSet')).toEqual([])
    const config = find(objects, 'ConfigMap', 'demo-api').data as Record<string, string>
    expect(config).toMatchObject({
      DATABASE_HOST: 'postgres.db.example',
      DATABASE_PORT: '6432',
      DATABASE_SSL_MODE: 'verify-full',
      REDIS_HOST: 'redis.cache.example',
      REDIS_TLS: 'true',
      S3_BUCKET: 'acme-attachments',
      S3_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com',
    })
    const egress = find(objects, 'NetworkPolicy', 'demo-api').spec as { egress: unknown[] }
    expect(egress.egress).toContainEqual({ ports: [{ port: 6432, protocol: 'TCP' }] })
  })

  it('cloud identity: without S3 keys no pod gets AWS credentials; the ServiceAccounts carry the role', async () => {
    const roles = {
      api: 'arn:aws:iam::123456789012:role/helpdesk',
      backup: 'arn:aws:iam::123456789012:role/helpdesk-backup',
    }
    const objects = await helmTemplate({
      ...(VALUE_SETS.external as Record<string, unknown>),
      backup: {
        s3: { bucket: 'acme-backups', region: 'eu-central-1' },
        encryptionKeySecretRef: { name: 'backup-keys' },
        serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': roles.backup } },
      },
    })
    const manifests = JSON.stringify(objects)
    expect(manifests).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|S3_ACCESS_KEY/)
    for (const [component, role] of Object.entries(roles)) {
      expect(find(objects, 'ServiceAccount', `demo-${component}`).metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn': role,
      })
    }
    const podSpec = (object: KubeObject) =>
      JSON.stringify(object.spec).match(/"serviceAccountName":"([^"]+)"/)?.[1]
    expect(podSpec(find(objects, 'Deployment', 'demo-api'))).toBe('demo-api')
    expect(byKind(objects, 'CronJob').map(podSpec)).toEqual(['demo-backup'])
  })

  it('gateway: an HTTPRoute instead of the Ingress', async () => {
    const objects = await helmTemplate(VALUE_SETS.gateway as Record<string, unknown>)
    expect(byKind(objects, 'Ingress')).toEqual([])
    expect(find(objects, 'HTTPRoute', 'demo-web').spec).toMatchObject({
      parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['help.acme.example'],
    })
  })

  it('HPA off: fixed replicas, no HorizontalPodAutoscaler', async () => {
    const objects = await helmTemplate(VALUE_SETS['hpa-off'] as Record<string, unknown>)
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([])
    expect(find(objects, 'Deployment', 'demo-api').spec).toMatchObject({ replicas: 3 })
  })

  it('the API Deployment carries replicas only without an HPA (helm upgrade must not reset it)', async () => {
    const objects = await helmTemplate({})
    expect(find(objects, 'Deployment', 'demo-api').spec).not.toHaveProperty('replicas')
  })

  it('a changed configuration rolls the API pods; an unchanged one does not', async () => {
    const checksum = async (values: Record<string, unknown>) =>
      (
        find(await helmTemplate(values), 'Deployment', 'demo-api').spec as {
          template: { metadata: { annotations: Record<string, string> } }
        }
      ).template.metadata.annotations['checksum/config']
    const before = await checksum({})
    expect(await checksum({})).toBe(before)
    expect(await checksum({ api: { logLevel: 'debug' } })).not.toBe(before)
  })

  it('a new version gets a new migrations Job (Job templates are immutable)', async () => {
    const job = async (version: string) =>
      byKind(await helmTemplate({ version }), 'Job').map((j) => j.metadata.name)
    const [first] = await job('0.1.0')
    const [second] = await job('0.2.0')
    expect(first).toMatch(/^demo-migrations-[0-9a-f]{10}$/)
    expect(second).toMatch(/^demo-migrations-[0-9a-f]{10}$/)
    expect(second).not.toBe(first)
  })

  it('the small profile requests at most 0.3 CPU at rest, the production defaults 1.65', async () => {
    const cpu = (objects: KubeObject[]) =>
      workloads(objects).reduce(
        (sum, { replicas, containers }) =>
          sum +
          replicas * containers.reduce((total, container) => total + millicores(container), 0),
        0,
      )
    const small = await helm([
      'template',
      'demo',
      HELPDESK_CHART,
      '--skip-tests',
      '-f',
      path.join(HELPDESK_CHART, 'values-small.yaml'),
    ])
    expect(cpu(parseManifests(small))).toBeLessThanOrEqual(300)
    expect(cpu(await helmTemplate({}))).toBe(1650)
  })

  it('two releases get disjoint object names', async () => {
    const first = names(await helmTemplate({}, { release: 'one' }))
    const second = names(await helmTemplate({}, { release: 'two' }))
    expect(first.filter((name) => second.includes(name))).toEqual([])
  })
})

describe('bad values are refused with a clear message', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a wrong type',
      { api: { replicas: { min: 'two' } } },
      /\/api\/replicas\/min': got string, want integer/,
    ],
    ['an unknown key', { bogus: true }, /additional properties 'bogus' not allowed/],
    [
      'an unknown nested key',
      { api: { replica: 2 } },
      /at '\/api': additional properties 'replica' not allowed/,
    ],
    [
      'both managed and external Postgres',
      {
        database: {
          managed: {},
          external: { host: 'db.example', passwordSecretRef: { name: 'db' } },
        },
      },
      /at '\/database': maxProperties: got 2, want 1/,
    ],
    [
      'an external database without host',
      { database: { external: { passwordSecretRef: { name: 'db' } } } },
      /missing property 'host'/,
    ],
    ['a bad host name', { host: 'Not A Host' }, /at '\/host': 'Not A Host' does not match pattern/],
    [
      'a bad quantity',
      { api: { resources: { limits: { memory: 'lots' } } } },
      /'lots' does not match pattern/,
    ],
    [
      'an unknown enum value',
      { ingress: { tls: { mode: 'letsencrypt' } } },
      /at '\/ingress\/tls\/mode': value must be one of/,
    ],
    [
      'a snippet annotation',
      { ingress: { annotations: { 'nginx.ingress.kubernetes.io/server-snippet': 'x' } } },
      /invalid propertyName 'nginx.ingress.kubernetes.io\/server-snippet'/,
    ],
    [
      'replicas.min above max',
      { api: { replicas: { min: 5, max: 2 } } },
      /replicas.min must not exceed replicas.max/,
    ],
    [
      'certManager without an issuer',
      { ingress: { tls: { mode: 'certManager' } } },
      /issuerRef is required when mode is certManager/,
    ],
    [
      'a CA for an external database that is never checked',
      {
        database: {
          external: {
            host: 'db.example',
            passwordSecretRef: { name: 'db' },
            sslMode: 'require',
            caSecretRef: { name: 'db-ca' },
          },
        },
      },
      /caSecretRef needs sslMode verify-ca or verify-full/,
    ],
    [
      'a backup without its keyring',
      { backup: { s3: { bucket: 'backups', credentialsSecretRef: { name: 's3' } } } },
      /missing property 'encryptionKeySecretRef'/,
    ],
  ]

  it.each(cases)('%s', async (_what, values, message) => {
    await expect(helmTemplate(values)).rejects.toThrow(message)
  })

  it('a release name that cannot prefix object names', async () => {
    await expect(
      helmTemplate({}, { release: 'a-release-name-far-longer-than-forty-characters' }),
    ).rejects.toThrow(/must be a DNS label of at most 40 characters/)
  })

  it('every problem of operator chart values at once', async () => {
    const failure = helmTemplate({ replicas: 0, watch: 'everywhere' }, { chart: OPERATOR_CHART })
    await expect(failure).rejects.toThrow(/at '\/replicas': minimum: got 0, want 1/)
    await expect(failure).rejects.toThrow(
      /at '\/watch': value must be one of 'allNamespaces', 'releaseNamespace'/,
    )
  })
})

describe('charts/helpdesk-operator', () => {
  it('binds exactly the operator rules, cluster-wide or in its namespace', async () => {
    const cluster = await helmTemplate({}, { chart: OPERATOR_CHART, release: 'hd' })
    expect(names(cluster)).toEqual(
      expect.arrayContaining([
        'ClusterRole/support-hd-operator',
        'ClusterRoleBinding/support-hd-operator',
        'Role/hd-operator-leader-election',
        'Deployment/hd-operator',
        'NetworkPolicy/hd-operator',
        'CustomResourceDefinition/helpdesks.helpdesk.dev',
      ]),
    )
    const scoped = await helmTemplate(
      { watch: 'releaseNamespace' },
      { chart: OPERATOR_CHART, release: 'hd' },
    )
    expect(find(scoped, 'Role', 'hd-operator').rules).toEqual(OPERATOR_RULES)
    // Cluster-wide only what cannot be namespaced: token reviews for /metrics, the reader
    // role for scrapers, and the roles aggregated into view/edit/admin.
    expect(
      byKind(scoped, 'ClusterRole')
        .map((role) => role.metadata.name)
        .sort(),
    ).toEqual([
      'support-hd-operator-edit',
      'support-hd-operator-metrics-auth',
      'support-hd-operator-metrics-reader',
      'support-hd-operator-view',
    ])
    const env = (
      find(scoped, 'Deployment', 'hd-operator').spec as {
        template: { spec: { containers: { env: { name: string; value?: string }[] }[] } }
      }
    ).template.spec.containers[0]?.env
    expect(env).toContainEqual({ name: 'HELPDESK_OPERATOR_WATCH_NAMESPACES', value: 'support' })
  })
})

describe('as dependencies of an umbrella chart', () => {
  /** An umbrella chart with both charts vendored in charts/, as `helm dependency build` leaves them. */
  function umbrella(): string {
    const directory = serviceDir('umbrella')
    cpSync(HELPDESK_CHART, path.join(directory, 'charts', 'helpdesk'), { recursive: true })
    cpSync(OPERATOR_CHART, path.join(directory, 'charts', 'helpdesk-operator'), {
      recursive: true,
    })
    writeFileSync(
      path.join(directory, 'Chart.yaml'),
      [
        'apiVersion: v2',
        'name: platform',
        'version: 1.0.0',
        'dependencies:',
        '  - name: helpdesk',
        '    version: 0.1.0',
        '    repository: file://charts/helpdesk',
        '  - name: helpdesk-operator',
        '    version: 0.1.0',
        '    repository: file://charts/helpdesk-operator',
        '',
      ].join('\n'),
    )
    return directory
  }

  it('installs both with helm’s implicit global, global values of other charts and our own', async () => {
    const chart = umbrella()
    const values = {
      global: {
        imageRegistry: 'mirror.acme.example',
        imagePullSecrets: [{ name: 'mirror' }],
        storageClass: 'another chart’s global',
      },
      helpdesk: { host: 'help.acme.example', commonLabels: { team: 'support' } },
      'helpdesk-operator': { replicas: 1 },
    }
    expect(await helm(['lint', '--strict', chart, '-f', valuesFile(values)])).toContain(
      '0 chart(s) failed',
    )
    const objects = await helmTemplate(values, { chart, release: 'platform' })
    const pods = objects.flatMap((object) => {
      const spec = object.spec as {
        template?: { spec: { containers: { image: string }[]; imagePullSecrets?: unknown[] } }
        jobTemplate?: { spec: { template: { spec: { containers: { image: string }[] } } } }
      }
      const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec
      return pod ? [{ name: `${object.kind}/${object.metadata.name}`, pod }] : []
    })
    expect(pods.length).toBeGreaterThan(4)
    for (const { name, pod } of pods) {
      for (const container of pod.containers) {
        expect([name, container.image]).toEqual([
          name,
          expect.stringMatching(/^mirror\.acme\.example\//),
        ])
      }
      expect([name, (pod as { imagePullSecrets?: unknown[] }).imagePullSecrets]).toEqual([
        name,
        expect.arrayContaining([{ name: 'mirror' }]),
      ])
    }
    const api = find(objects, 'Deployment', 'platform-api')
    expect(api.metadata.labels).toMatchObject({
      team: 'support',
      'helm.sh/chart': 'helpdesk-0.1.0',
    })
    expect(find(objects, 'Deployment', 'platform-operator').metadata.labels).toMatchObject({
      'helm.sh/chart': 'helpdesk-operator-0.1.0',
    })
  })

  it('installs with no values at all (helm passes global: {})', async () => {
    const objects = await helmTemplate({}, { chart: umbrella(), release: 'platform' })
    expect(names(objects)).toEqual(
      expect.arrayContaining(['Deployment/platform-api', 'Deployment/platform-operator']),
    )
  })
})
