// charts/helpdesk with a second value set — the small profile, two API and two web pods, a
// short HPA scale-down window, and backups to the release's own MinIO — and what only a real
// node can show: rolling upgrades and a rollback that drop no request, the HPA scaling out and
// back in, NetworkPolicies enforced, a backup Job, and Postgres lost and back under load.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
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
  restarts,
} from './support/cluster.ts'
import { NEXT_VERSION } from './support/images.ts'
import { whileLoaded } from './support/load.ts'
import { type ProbePod, withProbe } from './support/probe.ts'
import {
  addPeople,
  HELPDESK_CHART,
  installRelease,
  type People,
  type Release,
  signedIn,
  uninstallRelease,
  upgradeRelease,
  type Values,
  waitArgs,
} from './support/release.ts'

const NAME = 'small'
const KEYRING = 'backup-keys'
const BACKUP_BUCKET = 'backups'

function values(extra: Values = {}): Values {
  const small = parse(
    readFileSync(path.join(HELPDESK_CHART, 'values-small.yaml'), 'utf8'),
  ) as Values
  const api = small.api as Values
  const web = small.web as Values
  return {
    ...small,
    api: {
      ...api,
      replicas: { min: 2, max: 3 },
      autoscaling: { targetCPUUtilizationPercentage: 50, scaleDownStabilizationSeconds: 30 },
      ...((extra.api as Values | undefined) ?? {}),
    },
    web: { ...web, replicas: { min: 2, max: 2 } },
    ...(extra.ingress ? { ingress: extra.ingress } : {}),
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
  }
}

let release: Release
let people: People
let outside: string | undefined

beforeAll(async () => {
  release = await installRelease(NAME, values(), async (namespace) =>
    createKeyring(namespace, KEYRING),
  )
  process.stderr.write(
    `[cluster] helm install --wait --wait-for-jobs (small profile): ${release.installSeconds} s\n`,
  )
  people = await addPeople(release)
})

afterAll(async () => {
  if (outside) await deleteNamespace(outside)
  await uninstallRelease(release)
})

async function podIp(namespace: string, component: string): Promise<string> {
  const [pod] = await pods(namespace, `app.kubernetes.io/component=${component}`)
  if (!pod?.status.podIP) throw new Error(`no ${component} pod in ${namespace}`)
  return pod.status.podIP
}

async function apiReplicas(): Promise<number> {
  const deployment = await kubectlJson<{ status: { replicas?: number } }>([
    'get',
    'deployment',
    `${NAME}-api`,
    `--namespace=${release.namespace}`,
  ])
  return deployment.status.replicas ?? 0
}

describe('charts/helpdesk, small profile, on a real node', () => {
  it('installs with every pod Ready and no restart', async () => {
    expect(await restarts(release.namespace)).toEqual([])
  })

  it('upgrades (a config change, then an image change) and rolls back without a failed request', async () => {
    const customer = await signedIn(release.apiUrl, people.customer)
    const throughApi = customerLoad(release.apiUrl, customer)
    const throughWeb = customerLoad(release.webUrl, customer)
    await whileLoaded(throughApi.load)
    const revisions = []
    // Configuration read by both: the API's log level and the web server's body limit.
    const changed = values({ api: { logLevel: 'debug' }, ingress: { maxBodySize: '31m' } })
    await upgradeRelease(release, changed)
    revisions.push('config')
    await upgradeRelease(release, { ...changed, version: NEXT_VERSION })
    revisions.push('image')
    await helm(['rollback', NAME, '1', `--namespace=${release.namespace}`, ...waitArgs()])
    revisions.push('rollback')
    const reports = [await throughApi.load.stop(), await throughWeb.load.stop()]
    const sent = reports.reduce((sum, report) => sum + report.sent, 0)
    const failures = reports.flatMap((report) => Object.entries(report.failures))
    process.stderr.write(
      `[cluster] upgrade + image upgrade + rollback under load: ${sent} requests sent, ${throughApi.resent() + throughWeb.resent()} sent again after a closed keep-alive connection, ${failures.length} kinds of failure ${JSON.stringify(failures)}\n`,
    )
    expect(revisions).toEqual(['config', 'image', 'rollback'])
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThan(100)
  })

  it('scales the API out under load and back in when it ends', async () => {
    // The upgrade's load may have scaled out already: start from the minimum.
    await eventually('the API at its minimum of 2 replicas', async () =>
      (await apiReplicas()) === 2 ? true : undefined,
    )
    const customer = await signedIn(release.apiUrl, people.customer)
    const started = Date.now()
    const busy = customerLoad(release.apiUrl, customer, { clients: 8 })
    const scaledOut = await eventually('the HPA to add an API replica', async () =>
      (await apiReplicas()) > 2 ? Date.now() : undefined,
    )
    const report = await busy.load.stop()
    process.stderr.write(
      `[cluster] HPA scale-out after ${(scaledOut - started) / 1000} s of load (${report.sent} requests)\n`,
    )
    expect(report.failed).toBe(0)
    const scaledIn = await eventually('the HPA to remove the extra replicas', async () =>
      (await apiReplicas()) === 2 ? Date.now() : undefined,
    )
    process.stderr.write(
      `[cluster] HPA back to 2 replicas ${(scaledIn - scaledOut) / 1000} s later\n`,
    )
  })

  it('backs up into the bucket from a Job of the backup CronJob', async () => {
    const s3 = await minioClient(release.namespace, NAME)
    await createBucket(s3, BACKUP_BUCKET)
    await kubectl([
      'create',
      'job',
      'backup-now',
      `--from=cronjob/${NAME}-backup`,
      `--namespace=${release.namespace}`,
    ])
    await kubectl([
      'wait',
      'job/backup-now',
      `--namespace=${release.namespace}`,
      '--for=condition=Complete',
      '--timeout=300s',
    ])
    expect((await objectKeys(s3, BACKUP_BUCKET)).length).toBeGreaterThan(0)
  })

  it('enforces its NetworkPolicies: outsiders are refused, allowed flows and DNS work', async () => {
    const { namespace } = release
    const labels = (component: string) => ({
      'app.kubernetes.io/name': 'helpdesk',
      'app.kubernetes.io/instance': NAME,
      'app.kubernetes.io/component': component,
    })
    outside = await createNamespace('outside')
    // Pod addresses: an unlabelled pod under default-deny may not even reach DNS.
    const targets = await Promise.all(
      [
        ['postgres', 5432],
        ['redis', 6379],
        ['minio', 9000],
        ['api', 9464],
      ].map(async ([component, port]) => `${await podIp(namespace, component as string)}:${port}`),
    )
    const refused = async (probe: ProbePod) =>
      Object.fromEntries(
        await Promise.all(
          targets.map(async (target) => {
            const [host, port] = target.split(':') as [string, string]
            return [target, await probe.tcp(host, Number(port))] as const
          }),
        ),
      )
    const outsiders = [
      await withProbe({ namespace }, refused),
      await withProbe({ namespace: outside }, refused),
    ]
    for (const answers of outsiders) {
      for (const [target, answer] of Object.entries(answers)) {
        expect([target, answer === 'open' ? 'open' : 'refused']).toEqual([target, 'refused'])
      }
    }
    // The flows the product needs, by Service name: DNS works under default-deny.
    const allowed = await withProbe({ namespace, labels: labels('api') }, async (probe) => [
      await probe.tcp(`${NAME}-postgres`, 5432),
      await probe.tcp(`${NAME}-redis`, 6379),
      await probe.tcp(`${NAME}-minio`, 9000),
    ])
    expect(allowed).toEqual(['open', 'open', 'open'])
  })

  it('answers 503 with Retry-After while Postgres is gone, recovers without a restart and loses no write', async () => {
    // The HPA has had its test: two API replicas from now on, so that this one sees the loss
    // of Postgres alone and no scale-in ends a pod under the load.
    await kubectl([
      'patch',
      'hpa',
      `${NAME}-api`,
      `--namespace=${release.namespace}`,
      '--patch={"spec":{"maxReplicas":2}}',
    ])
    await eventually('the API at 2 replicas', async () =>
      (await apiReplicas()) === 2 ? true : undefined,
    )
    const customer = await signedIn(release.apiUrl, people.customer)
    const traffic = customerLoad(release.apiUrl, customer, { tolerate503: true })
    await whileLoaded(traffic.load, 50)
    const acknowledgedBefore = [...traffic.acknowledged]
    const [postgres] = await pods(release.namespace, 'app.kubernetes.io/component=postgres')
    await kubectl([
      'delete',
      'pod',
      postgres?.metadata.name ?? '',
      `--namespace=${release.namespace}`,
      '--wait=false',
    ])
    await eventually('the API to answer 503 while Postgres is down', async () =>
      traffic.unavailable() > 0 ? true : undefined,
    )
    await kubectl([
      'wait',
      'statefulset',
      `${NAME}-postgres`,
      `--namespace=${release.namespace}`,
      '--for=jsonpath={.status.readyReplicas}=1',
      '--timeout=300s',
    ])
    // Back once 20 requests in a row were answered without a 503.
    await eventually('requests to succeed again', async () => {
      const unavailable = traffic.unavailable()
      await whileLoaded(traffic.load, 20)
      return traffic.unavailable() === unavailable ? true : undefined
    })
    const report = await traffic.load.stop()
    process.stderr.write(
      `[cluster] Postgres deleted under load: ${report.sent} requests, ${traffic.unavailable()} answered 503 + Retry-After, ${report.failed} failed ${JSON.stringify(report.failures)}\n`,
    )
    expect(report.failures).toEqual({})
    const apiRestarts = (await restarts(release.namespace)).filter((line) =>
      line.startsWith(`${NAME}-api`),
    )
    expect(apiRestarts).toEqual([])
    for (const id of acknowledgedBefore) await customer.request('GET', `/tickets/${id}`)
  })
})
