// Against the harness's real kube-apiserver (no nodes, so pods never run): every rendered
// object must be accepted with strict field validation, and every pod template admitted by
// a namespace enforcing Pod Security "restricted"; the CRDs reject invalid Helpdesks.

import { helm } from '@helpdesk/harness'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { helpdeskCrds, OPERATOR_RULES, renderHelpdesk } from '../src/index.ts'
import type { KubeObject } from '../src/render/kube-object.ts'
import {
  HELPDESK_CHART,
  OPERATOR_CHART,
  parseManifests,
  synthObjects,
  valuesFile,
} from './support/charts.ts'
import {
  admitPod,
  apply,
  cluster,
  kubectl,
  podSpecOf,
  request,
  restrictedNamespace,
} from './support/cluster.ts'
import { thirdPartyCrds } from './support/third-party-crds.ts'
import { VALUE_SETS } from './support/value-sets.ts'

const kubeconfig = () => cluster().kubeconfig

beforeAll(async () => {
  const crds = [...(await thirdPartyCrds()), ...helpdeskCrds()]
  await apply(crds)
  // The value sets schedule some pods with it; admission refuses an unknown class.
  await apply([
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'helpdesk-high' },
      value: 1000,
    } as never,
  ])
  await kubectl([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    ...crds.map((crd) => `crd/${crd.metadata.name}`),
  ])
}, 180_000)

async function install(
  release: string,
  namespace: string,
  values: Record<string, unknown>,
  chart = HELPDESK_CHART,
) {
  await helm(
    ['upgrade', '--install', release, chart, '--namespace', namespace, '-f', valuesFile(values)],
    {
      kubeconfig: kubeconfig(),
    },
  )
  return parseManifests(
    await helm(['get', 'manifest', release, '--namespace', namespace], {
      kubeconfig: kubeconfig(),
    }),
  )
}

/** Every pod the objects would create, admitted in the namespace (or the API server's reason). */
async function podAdmissions(namespace: string, objects: KubeObject[]) {
  const outcomes: Record<string, number | string> = {}
  for (const object of objects) {
    const spec = podSpecOf(object)
    if (!spec) continue
    const response = await admitPod(namespace, object.metadata.name, spec)
    outcomes[`${object.kind}/${object.metadata.name}`] =
      response.status === 201 ? 201 : JSON.stringify(response.body)
  }
  return outcomes
}

function allAdmitted(outcomes: Record<string, number | string>) {
  return Object.fromEntries(Object.keys(outcomes).map((key) => [key, 201]))
}

describe('charts/helpdesk installed in a namespace enforcing Pod Security "restricted"', () => {
  it.each(Object.entries(VALUE_SETS))(
    '%s: every object accepted (strict), every pod template admitted',
    async (name, values) => {
      const namespace = await restrictedNamespace(`hd-${name}`)
      const objects = await install('acme', namespace, values)
      expect(objects.length).toBeGreaterThan(10)
      const warnings = await apply(objects, { dryRun: true })
      expect(warnings).not.toMatch(/PodSecurity|unknown field|duplicate field|deprecated/i)
      const outcomes = await podAdmissions(namespace, objects)
      expect(Object.keys(outcomes).length).toBeGreaterThan(2)
      expect(outcomes).toEqual(allAdmitted(outcomes))
    },
    120_000,
  )

  it('two releases install side by side in one namespace, and upgrades keep credentials', async () => {
    const namespace = await restrictedNamespace('hd-two')
    const everything = VALUE_SETS.everything as Record<string, unknown>
    const one = await install('one', namespace, everything)
    const two = await install('two', namespace, everything)
    const names = (objects: KubeObject[]) =>
      objects.map((object) => `${object.kind}/${object.metadata.name}`)
    expect(names(one).filter((name) => names(two).includes(name))).toEqual([])
    const listed = await request('GET', `/api/v1/namespaces/${namespace}/services`)
    const services = (listed.body as { items: KubeObject[] }).items.map(
      (service) => service.metadata.name,
    )
    expect(services).toEqual(expect.arrayContaining(['one-api', 'two-api', 'one-web', 'two-web']))

    const password = async (release: string) =>
      (
        (await request('GET', `/api/v1/namespaces/${namespace}/secrets/${release}-redis-auth`))
          .body as {
          data: Record<string, string>
        }
      ).data.password
    const before = await password('one')
    expect(before).not.toBe(await password('two'))
    await install('one', namespace, everything)
    expect(await password('one')).toBe(before)
  }, 180_000)

  it('an upgrade to a new version replaces the migrations Job; the same version keeps it', async () => {
    const namespace = await restrictedNamespace('hd-upgrade')
    const jobs = async () =>
      (
        (await request('GET', `/apis/batch/v1/namespaces/${namespace}/jobs`)).body as {
          items: KubeObject[]
        }
      ).items
        .map((job) => job.metadata.name)
        .filter((name) => name.startsWith('acme-migrations-'))
    await install('acme', namespace, { version: '0.1.0' })
    const [first] = await jobs()
    await install('acme', namespace, { version: '0.1.0' })
    expect(await jobs()).toEqual([first])
    await install('acme', namespace, { version: '0.2.0' })
    const after = await jobs()
    expect(after).toHaveLength(1)
    expect(after[0]).not.toBe(first)
  }, 120_000)
})

describe('NOTES.txt', () => {
  it('tells where the instance is, how to sign in and what to mind', async () => {
    const namespace = await restrictedNamespace('hd-notes')
    const output = await helm(
      [
        'install',
        'acme',
        HELPDESK_CHART,
        '--namespace',
        namespace,
        '-f',
        valuesFile(VALUE_SETS.everything as Record<string, unknown>),
      ],
      { kubeconfig: kubeconfig() },
    )
    expect(output).toContain('URL: https://help.acme.example')
    expect(output).toContain(`Routed by the Ingress acme-web (class ${namespace}-acme-nginx)`)
    expect(output).toContain('cert-manager issues the certificate into Secret acme-tls')
    expect(output).toContain('First admin: ops@acme.example')
    expect(output).toContain('Password: key "password" of Secret helpdesk-admin')
    expect(output).toContain(
      'WARNING: ingressNginx.enabled installs ingress-nginx, which was retired upstream',
    )
    expect(output).not.toContain('Backups are OFF')
    const defaults = await helm(['install', 'plain', HELPDESK_CHART, '--namespace', namespace], {
      kubeconfig: kubeconfig(),
    })
    expect(defaults).toContain(`kubectl get secret plain-admin -n ${namespace}`)
    expect(defaults).toContain('Create the kubernetes.io/tls Secret plain-tls for helpdesk.local')
    expect(defaults).toContain('Backups are OFF')
  }, 120_000)
})

describe('plain manifests and the operator render on the API server', () => {
  it('synth output (the GitOps path) applies and its pods are admitted', async () => {
    const namespace = await restrictedNamespace('hd-synth')
    const objects = synthObjects(VALUE_SETS.everything as Record<string, unknown>, {
      release: 'acme',
      namespace,
    })
    expect(await apply(objects)).not.toMatch(/PodSecurity|unknown field/i)
    const outcomes = await podAdmissions(namespace, objects)
    expect(outcomes).toEqual(allAdmitted(outcomes))
  })

  it('renderHelpdesk for an operator-managed Helpdesk applies and its pods are admitted', async () => {
    const namespace = await restrictedNamespace('hd-operator-render')
    const objects = renderHelpdesk({
      name: 'acme',
      namespace,
      spec: {
        host: 'help.acme.example',
        ingress: { gateway: { parentRefs: [{ name: 'public' }] } },
      },
      podTemplateAnnotations: { 'helpdesk.dev/certificates-sha256': 'abc' },
    })
    expect(await apply(objects)).not.toMatch(/PodSecurity|unknown field/i)
    const outcomes = await podAdmissions(namespace, objects)
    expect(outcomes).toEqual(allAdmitted(outcomes))
  })
})

describe('charts/helpdesk-operator', () => {
  it('installs with its RBAC and an admitted operator pod', async () => {
    const namespace = await restrictedNamespace('hd-op')
    // The CRDs of this API server belong to no release (beforeAll): leave them alone here.
    const objects = await install(
      'helpdesk',
      namespace,
      { crds: { enabled: false } },
      OPERATOR_CHART,
    )
    const role = objects.find(
      (object) =>
        object.kind === 'ClusterRole' && object.metadata.name === `${namespace}-helpdesk-operator`,
    ) as KubeObject
    expect(role.rules).toEqual(OPERATOR_RULES)
    const outcomes = await podAdmissions(namespace, objects)
    expect(outcomes).toEqual({ 'Deployment/helpdesk-operator': 201 })
  }, 120_000)

  it('adopts, upgrades and on uninstall keeps the CRDs (crds.keep)', async () => {
    const namespace = await restrictedNamespace('hd-crds')
    // Helm takes over objects that carry its release metadata (as after `kubectl apply`
    // of a previous chart's CRDs, annotated for adoption).
    for (const crd of helpdeskCrds()) {
      await kubectl([
        'annotate',
        '--overwrite',
        `crd/${crd.metadata.name}`,
        'meta.helm.sh/release-name=helpdesk',
        `meta.helm.sh/release-namespace=${namespace}`,
      ])
      await kubectl([
        'label',
        '--overwrite',
        `crd/${crd.metadata.name}`,
        'app.kubernetes.io/managed-by=Helm',
      ])
    }
    const objects = await install('helpdesk', namespace, {}, OPERATOR_CHART)
    const crds = objects.filter((object) => object.kind === 'CustomResourceDefinition')
    expect(crds.map((crd) => crd.metadata.annotations?.['helm.sh/resource-policy'])).toEqual([
      'keep',
      'keep',
      'keep',
    ])
    await helm(['uninstall', 'helpdesk', '--namespace', namespace], { kubeconfig: kubeconfig() })
    for (const crd of crds) {
      expect(
        (
          await request(
            'GET',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
          )
        ).status,
      ).toBe(200)
    }
  }, 120_000)
})

describe('the Helpdesk CRDs', () => {
  const helpdesk = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name },
    spec,
  })
  const create = async (namespace: string, plural: string, object: unknown) =>
    request(
      'POST',
      `/apis/helpdesk.dev/v1alpha1/namespaces/${namespace}/${plural}?fieldValidation=Strict`,
      object,
    )

  it('accept a minimal Helpdesk and fill in the defaults', async () => {
    const namespace = await restrictedNamespace('crd-ok')
    const response = await create(
      namespace,
      'helpdesks',
      helpdesk('acme', { host: 'help.acme.example' }),
    )
    expect(response.status).toBe(201)
    expect((response.body as { spec: unknown }).spec).toMatchObject({
      version: '0.1.0',
      database: { managed: { storage: '20Gi', tls: { enabled: true } } },
      redis: { managed: { storage: '2Gi' } },
      storage: { minio: { bucket: 'attachments' } },
      ingress: { className: 'nginx', tls: { mode: 'operator' } },
      api: { replicas: { min: 2, max: 10 } },
    })
  })

  const invalid: [string, string, unknown, RegExp][] = [
    ['no host', 'helpdesks', helpdesk('a', {}), /spec.host: Required value/],
    [
      'managed and external Postgres',
      'helpdesks',
      helpdesk('a', {
        host: 'h.example',
        database: {
          managed: {},
          external: { host: 'db.example', passwordSecretRef: { name: 'db' } },
        },
      }),
      /set exactly one of managed or external/,
    ],
    [
      'an external database without host',
      'helpdesks',
      helpdesk('a', {
        host: 'h.example',
        database: { external: { passwordSecretRef: { name: 'db' } } },
      }),
      /spec.database.external.host: Required value/,
    ],
    [
      'replicas.min above max',
      'helpdesks',
      helpdesk('a', { host: 'h.example', api: { replicas: { min: 4, max: 2 } } }),
      /replicas.min must not exceed replicas.max/,
    ],
    [
      'certManager without issuer',
      'helpdesks',
      helpdesk('a', { host: 'h.example', ingress: { tls: { mode: 'certManager' } } }),
      /issuerRef is required when mode is certManager/,
    ],
    [
      'a snippet annotation',
      'helpdesks',
      helpdesk('a', {
        host: 'h.example',
        ingress: { annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'x' } },
      }),
      /snippet annotations run arbitrary controller configuration/,
    ],
    [
      'an unknown sslMode',
      'helpdesks',
      helpdesk('a', {
        host: 'h.example',
        database: {
          external: { host: 'd.example', passwordSecretRef: { name: 'x' }, sslMode: 'prefer' },
        },
      }),
      /Unsupported value: "prefer"/,
    ],
    [
      'a bad quantity',
      'helpdesks',
      helpdesk('a', { host: 'h.example', api: { resources: { limits: { memory: 'lots' } } } }),
      /spec.api.resources.limits.memory/,
    ],
    [
      'an unknown field',
      'helpdesks',
      helpdesk('a', { host: 'h.example', replicas: 3 }),
      /unknown field "spec.replicas"/,
    ],
    [
      'a host that is no DNS name',
      'helpdesks',
      helpdesk('a', { host: 'Not A Host' }),
      /spec.host: Invalid value/,
    ],
    [
      'a name too long to prefix object names',
      'helpdesks',
      helpdesk('a'.repeat(41), { host: 'h.example' }),
      /metadata.name must be a DNS label of at most 40 characters/,
    ],
    [
      'a Redis CA without TLS',
      'helpdesks',
      helpdesk('a', {
        host: 'h.example',
        redis: { external: { host: 'redis.example', caSecretRef: { name: 'ca' } } },
      }),
      /redis.external.caSecretRef needs tls: true/,
    ],
    [
      'a restore naming the backup twice',
      'helpdeskrestores',
      {
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskRestore',
        metadata: { name: 'r' },
        spec: {
          helpdeskRef: { name: 'a' },
          backupRef: { name: 'b', location: { key: 'backups/x' } },
        },
      },
      /set exactly one of name or location/,
    ],
    [
      'a restore in an unknown mode',
      'helpdeskrestores',
      {
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskRestore',
        metadata: { name: 'r' },
        spec: { helpdeskRef: { name: 'a' }, backupRef: { name: 'b' }, mode: 'sideways' },
      },
      /Unsupported value: "sideways"/,
    ],
    [
      'a backup without helpdeskRef',
      'helpdeskbackups',
      {
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskBackup',
        metadata: { name: 'b' },
        spec: {},
      },
      /spec.helpdeskRef: Required value/,
    ],
  ]

  it.each(invalid)('reject %s', async (_what, plural, object, message) => {
    const namespace = await restrictedNamespace('crd-bad')
    const response = await create(namespace, plural, object)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect((response.body as { message: string }).message).toMatch(message)
  })

  it('have a status subresource and the printer columns of the contract', async () => {
    const namespace = await restrictedNamespace('crd-status')
    await create(namespace, 'helpdesks', helpdesk('acme', { host: 'help.acme.example' }))
    const base = `/apis/helpdesk.dev/v1alpha1/namespaces/${namespace}/helpdesks/acme`
    const current = (await request('GET', base)).body as Record<string, unknown>
    const status = {
      observedGeneration: 1,
      url: 'https://help.acme.example',
      version: '0.1.0',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Reconciled',
          message: 'ok',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
      backups: {
        lastSuccessful: { name: 'acme-20260101-0200', completedAt: '2026-01-01T02:03:00Z' },
      },
    }
    const updated = await request('PUT', `${base}/status`, { ...current, status })
    expect(updated.status).toBe(200)
    const { stdout } = await kubectl(['get', 'helpdesks', '-n', namespace])
    expect(stdout.split('\n')[0]?.split(/\s{2,}/)).toEqual([
      'NAME',
      'READY',
      'VERSION',
      'URL',
      'LAST BACKUP',
      'AGE',
    ])
    expect(stdout).toMatch(/acme\s+True\s+0\.1\.0\s+https:\/\/help\.acme\.example/)
    expect((await kubectl(['get', 'hd', '-n', namespace, '-o', 'name'])).stdout.trim()).toBe(
      'helpdesk.helpdesk.dev/acme',
    )
  })

  describe('refuse changes that cannot be carried out (transition rules)', () => {
    type HelpdeskSpecShape = {
      database: { managed?: { storage?: string } } | Record<string, unknown>
      reason?: string
      [field: string]: unknown
    }
    /** Reads the object, changes its spec and writes it back (an update, so oldSelf exists). */
    const update = async (
      namespace: string,
      plural: string,
      name: string,
      change: (spec: HelpdeskSpecShape) => void,
    ) => {
      const path = `/apis/helpdesk.dev/v1alpha1/namespaces/${namespace}/${plural}/${name}`
      const current = (await request('GET', path)).body as { spec: HelpdeskSpecShape }
      change(current.spec)
      return request('PUT', path, current)
    }
    const message = (response: { body: unknown }) => (response.body as { message: string }).message

    it('a shrinking volume or a database switched between managed and external', async () => {
      const namespace = await restrictedNamespace('crd-transitions')
      await create(namespace, 'helpdesks', helpdesk('acme', { host: 'help.acme.example' }))
      const grow = await update(namespace, 'helpdesks', 'acme', (spec) => {
        ;(spec.database as { managed: { storage: string } }).managed.storage = '30Gi'
      })
      expect(grow.status).toBe(200)
      const shrink = await update(namespace, 'helpdesks', 'acme', (spec) => {
        ;(spec.database as { managed: { storage: string } }).managed.storage = '10Gi'
      })
      expect(shrink.status).toBe(422)
      expect(message(shrink)).toMatch(/storage cannot shrink/)
      const external = await update(namespace, 'helpdesks', 'acme', (spec) => {
        spec.database = { external: { host: 'db.example', passwordSecretRef: { name: 'db' } } }
      })
      expect(external.status).toBe(422)
      expect(message(external)).toMatch(/cannot switch between managed and external/)
    })

    it('any change to a HelpdeskBackup or HelpdeskRestore spec', async () => {
      const namespace = await restrictedNamespace('crd-immutable')
      await create(namespace, 'helpdeskbackups', {
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskBackup',
        metadata: { name: 'b1' },
        spec: { helpdeskRef: { name: 'acme' }, reason: 'before the upgrade' },
      })
      const edited = await update(namespace, 'helpdeskbackups', 'b1', (spec) => {
        spec.reason = 'something else'
      })
      expect(edited.status).toBe(422)
      expect(message(edited)).toMatch(/spec is immutable: create a new HelpdeskBackup/)
    })
  })
})
