// The operator process as it runs in its Deployment: configuration from the environment,
// /healthz, /readyz and /metrics (for tokens allowed to read it), and a graceful shutdown
// on SIGTERM that hands the Lease over.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  freePort,
  kubeconfigFor,
  logFile,
  serviceDir,
  supervise,
  testServices,
} from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { adminClient, eventually, field } from './support/kube.ts'
import { installCrds, operatorToken } from './support/operator-under-test.ts'

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url))
const admin = adminClient()
const directory = serviceDir('operator-main')
let namespace: string
let kubeconfig: string
let token: string

beforeAll(async () => {
  await installCrds()
  const cluster = testServices.kubernetes()
  namespace = await cluster.createNamespace('main')
  kubeconfig = path.join(directory, 'kubeconfig')
  token = await operatorToken(namespace, cluster)
  writeFileSync(kubeconfig, kubeconfigFor({ server: cluster.server, ca: cluster.ca, token }))
}, 60_000)

afterAll(() => {
  admin.close()
})

describe('the operator process', () => {
  it('refuses invalid configuration, listing every problem, with exit code 78 (EX_CONFIG, as helpdesk)', () => {
    const result = spawnSync(process.execPath, ['--no-warnings', MAIN], {
      env: {
        PATH: process.env.PATH,
        HELPDESK_OPERATOR_CONCURRENCY: 'many',
        HELPDESK_OPERATOR_METRICS_PORT: '70000',
        HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: 'ops',
      },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(result.status).toBe(78)
    expect(result.stderr).toContain('HELPDESK_OPERATOR_CONCURRENCY')
    expect(result.stderr).toContain('HELPDESK_OPERATOR_METRICS_PORT')
  })

  it('serves /healthz, /readyz and /metrics, reconciles, and hands the Lease over on SIGTERM', async () => {
    const port = await freePort()
    const operator = supervise({
      name: 'helpdesk-operator',
      command: process.execPath,
      args: ['--no-warnings', MAIN],
      env: {
        PATH: process.env.PATH ?? '',
        KUBECONFIG: kubeconfig,
        HELPDESK_OPERATOR_WATCH_NAMESPACES: namespace,
        HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: namespace,
        HELPDESK_OPERATOR_METRICS_PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      log: logFile('helpdesk-operator'),
    })
    try {
      const url = `http://127.0.0.1:${port}`
      const health = await eventually('a synced leader', async () => {
        const response = await fetch(`${url}/healthz`)
        const body = (await response.json()) as {
          healthy: boolean
          leader: boolean
          cachesSynced: boolean
        }
        return response.status === 200 && body.leader && body.cachesSynced ? body : undefined
      })
      expect(health.healthy).toBe(true)
      expect((await fetch(`${url}/readyz`)).status).toBe(200)
      await admin.create({
        apiVersion: 'helpdesk.dev/v1alpha1',
        kind: 'Helpdesk',
        metadata: { name: 'acme', namespace },
        spec: { host: 'acme.example' },
      })
      await eventually('the Helpdesk reconciled', async () =>
        field(
          await admin.get({
            apiVersion: 'helpdesk.dev/v1alpha1',
            kind: 'Helpdesk',
            namespace,
            name: 'acme',
          }),
          'status',
          'observedGeneration',
        ),
      )
      // /metrics: only for a token the API server allows to get it (here: cluster-admin).
      expect((await fetch(`${url}/metrics`)).status).toBe(401)
      const unknown = { authorization: 'Bearer not-a-token' }
      expect((await fetch(`${url}/metrics`, { headers: unknown })).status).toBe(401)
      const operatorOwn = { authorization: `Bearer ${token}` }
      expect((await fetch(`${url}/metrics`, { headers: operatorOwn })).status).toBe(403)
      const scraper = { authorization: `Bearer ${testServices.kubernetes().token}` }
      const metrics = await (await fetch(`${url}/metrics`, { headers: scraper })).text()
      expect(metrics).toMatch(
        /^helpdesk_operator_reconciles_total\{controller="helpdesk",result="success"\} [1-9]/m,
      )
      expect(metrics).toMatch(/^helpdesk_operator_reconcile_duration_seconds_bucket\{/m)
      expect(metrics).toMatch(/^helpdesk_operator_workqueue_depth\{controller="helpdesk"\} \d/m)
      expect(metrics).toMatch(/^helpdesk_operator_leader 1$/m)
      expect(metrics).toMatch(/^helpdesk_operator_process_resident_memory_bytes \d/m)
      expect((await fetch(`${url}/anything`)).status).toBe(404)
      expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405)
    } finally {
      await operator.stop()
    }
    const lease = await admin.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace,
      name: 'helpdesk-operator',
    })
    expect(field(lease, 'spec', 'holderIdentity')).toBeUndefined()
  }, 90_000)
})
