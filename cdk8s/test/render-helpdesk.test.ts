// renderHelpdesk, backupJob, restoreJob and helpdeskCrds: the package contract the
// operator builds on; whole renders as snapshots.
import { describe, expect, it } from '@jest/globals'
import {
  backupJob,
  helpdeskCrds,
  type KubeObject,
  renderHelpdesk,
  restoreDatabaseName,
  restoreJob,
} from '../src/index.ts'
import { dig } from './support/json.ts'
import { podSpec } from './support/synth.ts'

const spec = { host: 'help.acme.example' }
const backup = {
  s3: { bucket: 'backups', region: 'eu-west-1', credentialsSecretRef: { name: 'backup-s3' } },
  encryptionKeySecretRef: { name: 'backup-keys' },
}
const fixedCredentials = (secretName: string, key: string) => `${secretName}-${key}`

function names(objects: KubeObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name}`)
}

describe('renderHelpdesk', () => {
  it('renders the whole instance (snapshot)', () => {
    const objects = renderHelpdesk({
      name: 'acme',
      namespace: 'support',
      spec,
      randomCredential: fixedCredentials,
    })
    expect(objects).toMatchSnapshot()
  })

  it('names every object <instance>-<component> and labels it for the operator', () => {
    const objects = renderHelpdesk({ name: 'acme', namespace: 'support', spec })
    for (const object of objects) {
      expect(object.metadata.name).toMatch(/^acme-/)
      expect(object.metadata.namespace).toBe('support')
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'helpdesk',
        'app.kubernetes.io/instance': 'acme',
        'app.kubernetes.io/managed-by': 'helpdesk-operator',
        'app.kubernetes.io/part-of': 'helpdesk',
        'app.kubernetes.io/version': '0.1.0',
      })
    }
    expect(names(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/acme-api',
        'Deployment/acme-web',
        'StatefulSet/acme-postgres',
      ]),
    )
  })

  it('leaves backup scheduling to the operator unless asked', () => {
    const withBackup = { ...spec, backup }
    expect(
      names(renderHelpdesk({ name: 'acme', namespace: 'support', spec: withBackup })),
    ).not.toContain('CronJob/acme-backup')
    expect(
      names(
        renderHelpdesk({
          name: 'acme',
          namespace: 'support',
          spec: withBackup,
          backupSchedule: true,
        }),
      ),
    ).toContain('CronJob/acme-backup')
  })

  it('uses operator-written TLS by default: Secrets named after the instance, no Certificates', () => {
    const objects = renderHelpdesk({ name: 'acme', namespace: 'support', spec })
    const ingress = objects.find((object) => object.kind === 'Ingress') as KubeObject
    expect(ingress.spec).toMatchObject({ tls: [{ secretName: 'acme-tls' }] })
    expect(names(objects).filter((name) => name.startsWith('Certificate/'))).toEqual([])
    const postgres = objects.find(
      (object) => object.metadata.name === 'acme-postgres' && object.kind === 'StatefulSet',
    )
    expect(podSpec(postgres as KubeObject).volumes).toContainEqual(
      expect.objectContaining({
        secret: expect.objectContaining({ secretName: 'acme-postgres-tls' }),
      }),
    )
  })

  it("puts the caller's annotations on the API and web pods (certificate hashes roll them), not on the data stores'", () => {
    const render = (version: string, hash: string) =>
      renderHelpdesk({
        name: 'acme',
        namespace: 'support',
        spec: { ...spec, version },
        podTemplateAnnotations: { 'helpdesk.dev/certificates-sha256': hash },
      })
    type Template = { metadata: { labels: Record<string, string>; annotations?: object } }
    const templates = (objects: KubeObject[], kind: string) =>
      objects
        .filter((object) => object.kind === kind)
        .map((object) => (object.spec as { template: Template }).template)
    const deployments = templates(render('0.1.0', 'abc'), 'Deployment')
    expect(deployments).toHaveLength(2)
    for (const template of deployments) {
      expect(template.metadata.annotations).toMatchObject({
        'helpdesk.dev/certificates-sha256': 'abc',
      })
    }
    // Postgres, Redis and MinIO: one replica each, so a rolled pod is downtime. Neither a
    // renewed certificate (their sidecar reloads it) nor a new product version changes them.
    const stores = templates(render('0.1.0', 'abc'), 'StatefulSet')
    expect(stores).toHaveLength(3)
    expect(templates(render('0.2.0', 'def'), 'StatefulSet')).toEqual(stores)
  })

  it('switches to external Postgres, Redis and S3, and to cert-manager', () => {
    const objects = renderHelpdesk({
      name: 'acme',
      namespace: 'support',
      spec: {
        ...spec,
        database: { external: { host: 'db.example', passwordSecretRef: { name: 'db' } } },
        redis: { external: { host: 'redis.example' } },
        storage: { s3: { bucket: 'attachments', credentialsSecretRef: { name: 's3' } } },
        ingress: { tls: { mode: 'certManager', issuerRef: { name: 'letsencrypt' } } },
      },
    })
    expect(names(objects).filter((name) => name.startsWith('StatefulSet/'))).toEqual([])
    expect(names(objects)).toContain('Certificate/acme-tls')
    expect(names(objects).filter((name) => /-auth$/.test(name))).toEqual([])
  })

  it('passes mail settings to the API and opens only the mail ports', () => {
    const find = (objects: KubeObject[], kind: string, name: string) =>
      objects.find((object) => object.kind === kind && object.metadata.name === name) as KubeObject
    const plain = renderHelpdesk({ name: 'acme', namespace: 'support', spec })
    // Plain settings are in the ConfigMap, secrets are env entries of the container.
    const apiEnvironment = (objects: KubeObject[]) => ({
      ...(find(objects, 'ConfigMap', 'acme-api') as unknown as { data: Record<string, string> })
        .data,
      ...Object.fromEntries(
        (podSpec(find(objects, 'Deployment', 'acme-api')).containers[0]?.env ?? []).map(
          (variable) => [variable.name, variable.valueFrom ?? variable.value],
        ),
      ),
    })
    expect(
      Object.keys(apiEnvironment(plain)).filter((name) => /^SMTP_|MAIL_CHANNELS/.test(name)),
    ).toEqual([])
    const egressPorts = (objects: KubeObject[]) =>
      (
        dig(find(objects, 'NetworkPolicy', 'acme-api'), 'spec', 'egress') as {
          ports?: { port: number }[]
        }[]
      )
        .flatMap((rule) => rule.ports ?? [])
        .map((rule) => rule.port)
    expect(egressPorts(plain)).not.toContain(587)

    const objects = renderHelpdesk({
      name: 'acme',
      namespace: 'support',
      spec: {
        ...spec,
        mail: {
          smtp: { host: 'smtp.acme.example', credentialsSecretRef: { name: 'smtp' } },
          channels: { existingSecret: 'mail-channels' },
        },
      },
    })
    const pod = podSpec(find(objects, 'Deployment', 'acme-api'))
    expect(apiEnvironment(objects)).toMatchObject({
      SMTP_HOST: 'smtp.acme.example',
      SMTP_PORT: '587',
      SMTP_SECURITY: 'starttls',
      HELPDESK_MAIL_CHANNELS_DIR: '/etc/helpdesk/mail-channels',
      SMTP_USER: { secretKeyRef: { name: 'smtp', key: 'username' } },
      SMTP_PASSWORD: { secretKeyRef: { name: 'smtp', key: 'password' } },
    })
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          secret: expect.objectContaining({ secretName: 'mail-channels' }),
        }),
      ]),
    )
    expect(egressPorts(objects)).toEqual(expect.arrayContaining([587, 993]))
    expect(egressPorts(objects)).not.toContain(25)
  })

  it('refuses an invalid spec or name with the problem named', () => {
    expect(() =>
      renderHelpdesk({
        name: 'acme',
        namespace: 'support',
        spec: { ...spec, api: { replicas: { min: 5, max: 2 } } },
      }),
    ).toThrow(/replicas.min must not exceed replicas.max/)
    expect(() => renderHelpdesk({ name: 'Acme', namespace: 'support', spec })).toThrow(
      /must be a DNS label/,
    )
    expect(() => renderHelpdesk({ name: 'acme', namespace: 'support', spec: {} as never })).toThrow(
      /host/,
    )
  })
})

describe('backupJob and restoreJob', () => {
  const helpdesk = { name: 'acme', namespace: 'support', spec: { ...spec, backup } }
  const args = (job: KubeObject) => podSpec(job).containers.map((container) => container.args)

  it("run the backup engine with the instance's settings", () => {
    const job = backupJob({
      name: 'acme-manual-1',
      helpdesk,
      command: 'backup',
      labels: { 'helpdesk.dev/backup': 'manual-1' },
    })
    expect(job).toMatchObject({
      kind: 'Job',
      metadata: {
        name: 'acme-manual-1',
        namespace: 'support',
        labels: { 'helpdesk.dev/backup': 'manual-1' },
      },
    })
    expect(args(job)).toEqual([['backup', '--tier', 'manual']])
    expect(args(backupJob({ name: 'p', helpdesk, command: 'prune' }))).toEqual([
      ['prune', '--daily', '30', '--monthly', '12'],
    ])
    expect(args(backupJob({ name: 'v', helpdesk, command: 'verify' }))).toEqual([['verify']])
  })

  it('restore in place or into a new database', () => {
    const restore = (mode: 'inPlace' | 'newDatabase') =>
      restoreJob({
        name: 'acme-restore-1',
        helpdesk,
        backupId: '20261128T020000Z-1a2b3c4d',
        restore: {
          name: 'monday',
          spec: { helpdeskRef: { name: 'acme' }, backupRef: { name: 'b' }, mode },
        },
      })
    expect(args(restore('inPlace'))).toEqual([
      ['restore', '--backup', '20261128T020000Z-1a2b3c4d', '--in-place', '--confirm', 'helpdesk'],
    ])
    expect(args(restore('newDatabase'))).toEqual([
      [
        'restore',
        '--backup',
        '20261128T020000Z-1a2b3c4d',
        '--target-database',
        'helpdesk_restore_monday',
      ],
    ])
    expect(restore('inPlace').spec).toMatchObject({ backoffLimit: 0 })
    expect(restoreDatabaseName('helpdesk', 'Tuesday-1')).toBe('helpdesk_restore_tuesday_1')
  })

  it('refuse a Helpdesk without backup settings', () => {
    expect(() =>
      backupJob({
        name: 'b',
        helpdesk: { name: 'acme', namespace: 'support', spec },
        command: 'backup',
      }),
    ).toThrow(/has no spec.backup/)
  })
})

describe('helpdeskCrds', () => {
  it('defines Helpdesk (short name hd), HelpdeskBackup and HelpdeskRestore with status and columns', () => {
    const crds = helpdeskCrds()
    expect(crds.map((crd) => crd.metadata.name)).toEqual([
      'helpdesks.helpdesk.dev',
      'helpdeskbackups.helpdesk.dev',
      'helpdeskrestores.helpdesk.dev',
    ])
    const [helpdesk] = crds as [KubeObject]
    const version = dig(helpdesk, 'spec', 'versions', 0)
    expect((helpdesk.spec as { names: { shortNames: string[] } }).names.shortNames).toEqual(['hd'])
    expect(dig(version, 'subresources')).toEqual({ status: {} })
    expect(
      (dig(version, 'additionalPrinterColumns') as { name: string }[]).map((column) => column.name),
    ).toEqual(['Ready', 'Version', 'URL', 'Last backup', 'Age'])
    const database = dig(
      version,
      'schema',
      'openAPIV3Schema',
      'properties',
      'spec',
      'properties',
      'database',
    )
    expect(dig(database, 'x-kubernetes-validations')).toEqual([
      {
        rule: '(has(self.managed) ? 1 : 0) + (has(self.external) ? 1 : 0) == 1',
        message: 'set exactly one of managed or external',
      },
      {
        rule: 'has(self.managed) == has(oldSelf.managed)',
        message: expect.stringContaining('cannot switch between managed and external in place'),
      },
    ])
  })

  it('names every kind unambiguously: no category equals a name kubectl resolves', () => {
    // `kubectl get helpdesk demo` failed while `helpdesk` was both a singular name and a
    // category: kubectl expanded the category into three kinds.
    const names = helpdeskCrds().map(
      (crd) =>
        (
          crd.spec as {
            names: {
              singular: string
              plural: string
              shortNames?: string[]
              categories?: string[]
            }
          }
        ).names,
    )
    const resolvable = new Set(
      names.flatMap((name) => [name.singular, name.plural, ...(name.shortNames ?? [])]),
    )
    const categories = names.flatMap((name) => name.categories ?? [])
    expect(categories.length).toBeGreaterThan(0)
    expect(categories.filter((category) => resolvable.has(category))).toEqual([])
  })
})
