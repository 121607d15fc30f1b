// The operator on a real node: charts/helpdesk-operator installed with helm, a Helpdesk
// applied with kubectl until Ready=True, an on-demand backup into the in-cluster S3, data
// changed and restored in place, certificates rotated under load, and the Helpdesk deleted.
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { GENERATED_ANNOTATION } from '@helpdesk/cdk8s'
import { repoRoot, uniqueId } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ApiSession, enrolledAdmin } from '../browser/support/api.ts'
import { customerLoad } from './support/api-load.ts'
import { createBucket, createKeyring, minioClient, objectKeys } from './support/backups.ts'
import {
  createNamespace,
  deleteNamespace,
  eventually,
  helm,
  kubectl,
  kubectlJson,
  pods,
  serviceIp,
} from './support/cluster.ts'
import { whileLoaded } from './support/load.ts'
import { HELPDESK_CHART } from './support/release.ts'

const OPERATOR_CHART = path.join(repoRoot, 'charts', 'helpdesk-operator')
const NAME = 'ops'
const HOST = 'ops.helpdesk.local'
const KEYRING = 'backup-keys'
const BACKUP_BUCKET = 'backups'
const SYSTEM = 'helpdesk-system'

let namespace: string
let admin: ApiSession
let apiUrl: string

interface KubeObject {
  kind: string
  metadata: { name: string; annotations?: Record<string, string> }
}

interface Condition {
  type: string
  status: string
  reason?: string
}

interface CustomResource {
  metadata: { name: string; generation?: number }
  status?: {
    conditions?: Condition[]
    certificates?: { secretName: string; notAfter: string; renewalTime: string }[]
  }
}

function helpdesk(certificates: Record<string, string> = {}) {
  const small = parse(
    readFileSync(path.join(HELPDESK_CHART, 'values-small.yaml'), 'utf8'),
  ) as Record<string, Record<string, unknown>>
  return {
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name: NAME, namespace },
    spec: {
      ...small,
      host: HOST,
      api: { ...small.api, replicas: { min: 2, max: 2 } },
      database: { managed: { ...(small.database?.managed as object), tls: { enabled: true } } },
      ingress: { tls: { mode: 'operator' } },
      backup: {
        s3: {
          bucket: BACKUP_BUCKET,
          endpoint: `http://${NAME}-minio:9000`,
          forcePathStyle: true,
          credentialsSecretRef: { name: `${NAME}-minio-auth` },
          // The release's own MinIO has no KMS: the engine's encryption is the only layer.
          serverSideEncryption: 'none',
        },
        encryptionKeySecretRef: { name: KEYRING },
      },
      certificates: { duration: '2160h', renewBefore: '720h', ...certificates },
    },
  }
}

async function conditionOf(
  kind: string,
  name: string,
  type: string,
): Promise<Condition | undefined> {
  const object = await kubectlJson<CustomResource>(['get', kind, name, `--namespace=${namespace}`])
  return object.status?.conditions?.find((condition) => condition.type === type)
}

async function waitFor(kind: string, name: string, type: string): Promise<number> {
  const started = Date.now()
  await eventually(
    `${kind}/${name} ${type}=True`,
    async () => {
      const condition = await conditionOf(kind, name, type)
      if (condition?.status === 'False' && type === 'Succeeded') {
        throw new Error(`${kind}/${name} failed: ${JSON.stringify(condition)}`)
      }
      return condition?.status === 'True' ? true : undefined
    },
    { timeoutMs: 10 * 60_000, intervalMs: 2_000 },
  )
  return (Date.now() - started) / 1000
}

beforeAll(async () => {
  namespace = await createNamespace(NAME)
  await helm([
    'install',
    'helpdesk-operator',
    OPERATOR_CHART,
    `--namespace=${SYSTEM}`,
    '--create-namespace',
    '--wait',
    '--timeout=5m',
  ])
  await createKeyring(namespace, KEYRING)
})

afterAll(async () => {
  await kubectl([
    'delete',
    'helpdesk',
    NAME,
    `--namespace=${namespace}`,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=300s',
  ])
  if (namespace) await deleteNamespace(namespace)
  await helm(['uninstall', 'helpdesk-operator', `--namespace=${SYSTEM}`, '--wait', '--timeout=5m'])
  await deleteNamespace(SYSTEM)
})

describe('the Helpdesk operator on a real node', () => {
  it('brings a Helpdesk applied with kubectl to Ready=True', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify(helpdesk()))
    const seconds = await waitFor('helpdesk', NAME, 'Ready')
    process.stderr.write(`[cluster] Helpdesk Ready=True ${seconds} s after kubectl apply\n`)
    // The kind resolves by its singular name (no category of the same name shadows it).
    expect(
      await kubectl(['get', 'helpdesk', NAME, `--namespace=${namespace}`, '--output=name']),
    ).toBe(`helpdesk.helpdesk.dev/${NAME}\n`)
    apiUrl = `http://${await serviceIp(namespace, `${NAME}-api`)}:8080`
    const password = Buffer.from(
      await kubectl([
        'get',
        'secret',
        `${NAME}-admin`,
        `--namespace=${namespace}`,
        '--output=jsonpath={.data.password}',
      ]),
      'base64',
    ).toString()
    admin = await enrolledAdmin(apiUrl, { email: `admin@${HOST}`, password })
  })

  it('backs up into the in-cluster S3 and restores in place what was changed after', async () => {
    const kept = await admin.request<{ id: string }>('POST', '/tickets', {
      subject: 'Kept by the backup',
      body: 'Before.',
    })
    const s3 = await minioClient(namespace, NAME)
    await createBucket(s3, BACKUP_BUCKET)
    const backup = `manual-${uniqueId()}`
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskBackup',
        metadata: { name: backup, namespace },
        spec: { helpdeskRef: { name: NAME }, reason: 'cluster tier' },
      }),
    )
    const backupSeconds = await waitFor('helpdeskbackup', backup, 'Succeeded')
    const keys = await objectKeys(s3, BACKUP_BUCKET)
    expect(keys.length).toBeGreaterThan(0)
    // The object is encrypted: no SQL text in it.
    const lost = await admin.request<{ id: string }>('POST', '/tickets', {
      subject: 'Lost by the restore',
      body: 'After.',
    })
    await admin.request('PATCH', `/tickets/${kept.id}`, { subject: 'Changed after the backup' })

    const restore = `restore-${uniqueId()}`
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'HelpdeskRestore',
        metadata: { name: restore, namespace },
        spec: { helpdeskRef: { name: NAME }, backupRef: { name: backup }, mode: 'inPlace' },
      }),
    )
    const restoreSeconds = await waitFor('helpdeskrestore', restore, 'Succeeded')
    await waitFor('helpdesk', NAME, 'Ready')
    process.stderr.write(
      `[cluster] operator backup ${backupSeconds} s, in-place restore ${restoreSeconds} s\n`,
    )
    // Sessions live in Redis, which the restore does not touch: the admin stays signed in.
    expect((await admin.request<{ subject: string }>('GET', `/tickets/${kept.id}`)).subject).toBe(
      'Kept by the backup',
    )
    await expect(admin.request('GET', `/tickets/${lost.id}`)).rejects.toThrow(/answered 404/)
  })

  it('rotates certificates: the pods roll, the new certificate is served, no request fails', async () => {
    const customerEmail = `carla-${uniqueId()}@example.com`
    const customer = { email: customerEmail, password: `Carla-${uniqueId(8)}` }
    await admin.request('POST', '/users', { ...customer, name: 'Carla', role: 'customer' })
    const session = new ApiSession(apiUrl)
    await session.login(customer)
    const before = await certificates()
    const apiPodsBefore = (await pods(namespace, 'app.kubernetes.io/component=api')).map(
      (pod) => pod.metadata.name,
    )
    const traffic = customerLoad(apiUrl, session)
    await whileLoaded(traffic.load)
    const started = Date.now()
    // Renewal is due once renewBefore covers the whole remaining lifetime: a minute short of
    // the 2160 h does for certificates issued over a minute ago (before Ready, the backup and
    // the restore). Renewed ones would be due a minute later, so the old renewBefore comes
    // back as soon as they are there.
    await kubectl(['apply', '-f', '-'], JSON.stringify(helpdesk({ renewBefore: '2159h59m' })))
    await eventually(
      'new certificates',
      async () => {
        const now = await certificates()
        return Object.entries(now).every(([secret, notAfter]) => notAfter !== before[secret])
          ? now
          : undefined
      },
      { timeoutMs: 10 * 60_000 },
    )
    await kubectl(['apply', '-f', '-'], JSON.stringify(helpdesk()))
    await eventually(
      'the API pods to roll',
      async () => {
        const current = await pods(namespace, 'app.kubernetes.io/component=api')
        const rolled = current.every((pod) => !apiPodsBefore.includes(pod.metadata.name))
        const ready = current.every(
          (pod) => pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
        )
        return rolled && ready && current.length === 2 ? true : undefined
      },
      { timeoutMs: 10 * 60_000 },
    )
    await waitFor('helpdesk', NAME, 'Ready')
    const report = await traffic.load.stop()
    process.stderr.write(
      `[cluster] certificate rotation in ${(Date.now() - started) / 1000} s under load: ${report.sent} requests (${traffic.resent()} sent again after a closed keep-alive connection), ${report.failed} failed ${JSON.stringify(report.failures)}\n`,
    )
    expect(report.failures).toEqual({})
    // Postgres keeps running: a sidecar has it reload the renewed certificate.
    await eventually('Postgres to serve the renewed certificate', async () =>
      (await servedPostgresCertificate()) === (await secretCertificate(`${NAME}-postgres-tls`))
        ? true
        : undefined,
    )
  })

  it('leaves what the documentation says when the Helpdesk is deleted', async () => {
    await kubectl([
      'delete',
      'helpdesk',
      NAME,
      `--namespace=${namespace}`,
      '--wait=true',
      '--timeout=300s',
    ])
    const remaining = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'deployments,statefulsets,jobs,services,secrets,configmaps,networkpolicies,helpdeskbackups,helpdeskrestores',
      `--namespace=${namespace}`,
      `--selector=app.kubernetes.io/instance=${NAME}`,
    ])
    const named = (items: KubeObject[]) => items.map((item) => `${item.kind}/${item.metadata.name}`)
    const generated = remaining.items.filter(
      (item) => item.metadata.annotations?.[GENERATED_ANNOTATION] === 'true',
    )
    expect(named(remaining.items.filter((item) => !generated.includes(item)))).toEqual([])
    // The generated credentials stay while the volumes do: a Helpdesk created again opens its data.
    expect(named(generated)).toEqual(
      expect.arrayContaining([`Secret/${NAME}-postgres-auth`, `Secret/${NAME}-app-keys`]),
    )
    // The data stays: PersistentVolumeClaims are never deleted with the Helpdesk.
    const claims = await kubectlJson<{ items: { metadata: { name: string } }[] }>([
      'get',
      'pvc',
      `--namespace=${namespace}`,
    ])
    expect(claims.items.map((claim) => claim.metadata.name).sort()).toEqual(
      [`data-${NAME}-minio-0`, `data-${NAME}-postgres-0`, `data-${NAME}-redis-0`].sort(),
    )
  })
})

/** notAfter of every certificate the operator reports, by Secret. */
async function certificates(): Promise<Record<string, string>> {
  const object = await kubectlJson<CustomResource>([
    'get',
    'helpdesk',
    NAME,
    `--namespace=${namespace}`,
  ])
  return Object.fromEntries(
    (object.status?.certificates ?? []).map((entry) => [entry.secretName, entry.notAfter]),
  )
}

/** The certificate (PEM) of a kubernetes.io/tls Secret. */
async function secretCertificate(secret: string): Promise<string> {
  const data = await kubectl([
    'get',
    'secret',
    secret,
    `--namespace=${namespace}`,
    "--output=jsonpath={.data['tls\\.crt']}",
  ])
  return fingerprint(Buffer.from(data, 'base64').toString())
}

/** The certificate Postgres presents now, through its Service (STARTTLS as libpq does it). */
async function servedPostgresCertificate(): Promise<string> {
  const ip = await serviceIp(namespace, `${NAME}-postgres`)
  const output = execFileSync(
    'openssl',
    ['s_client', '-starttls', 'postgres', '-connect', `${ip}:5432`, '-showcerts'],
    {
      input: '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: 10_000,
    },
  )
  return fingerprint(
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0] ?? '',
  )
}

function fingerprint(pem: string): string {
  return pem ? new X509Certificate(pem).fingerprint256 : ''
}
