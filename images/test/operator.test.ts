// The operator image against a real kube-apiserver: it takes its leader-election Lease from
// inside the container, serves metrics (to an allowed token), runs as UID 10001 and exits 0
// on SIGTERM.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  freePort,
  helm,
  kubeconfigFor,
  kubeRequest,
  repoRoot,
  serviceDir,
  testServices,
  toolPath,
} from '@helpdesk/harness'
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  type Container,
  removeAbandonedContainers,
  requireImage,
  startContainer,
  waitFor,
  waitForStatus,
} from './support/podman.ts'

let image: string
let running: Container | undefined

beforeAll(async () => {
  image = await requireImage('operator')
  await removeAbandonedContainers()
  await installChartCrds()
})

/**
 * The operator is ready once it watches its kinds, so their CRDs come first: rendered from the
 * operator chart by helm and applied with kubectl, as an install does.
 */
async function installChartCrds(): Promise<void> {
  const chart = path.join(repoRoot, 'charts', 'helpdesk-operator')
  const crds = ['helpdesks', 'helpdeskbackups', 'helpdeskrestores'].map(
    (plural) => `templates/customresourcedefinition-${plural}.helpdesk.dev.yaml`,
  )
  const rendered = await helm([
    'template',
    'helpdesk-operator',
    chart,
    ...crds.flatMap((file) => ['--show-only', file]),
  ])
  const kubeconfig = path.join(serviceDir('operator-crds'), 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigFor(testServices.kubernetes()))
  const kubectl = (args: string[], input?: string) =>
    execFileSync(toolPath('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], { input })
  kubectl(['apply', '--server-side', '--filename=-'], rendered)
  kubectl(['wait', '--for=condition=Established', '--timeout=300s', 'crd', '--all'])
}

afterEach(async () => {
  await running?.remove()
  running = undefined
})

/** A kubeconfig the container's user can read, mounted read-only. */
function kubeconfigVolume(namespace: string): string {
  const file = path.join(serviceDir('operator-image'), 'kubeconfig')
  writeFileSync(file, kubeconfigFor(testServices.kubernetes(), namespace), { mode: 0o644 })
  return `${file}:/etc/helpdesk/kubeconfig:ro`
}

describe('the operator image', () => {
  it('takes its Lease, serves metrics as UID 10001, and exits 0 on SIGTERM', async () => {
    const kubernetes = testServices.kubernetes()
    const namespace = await kubernetes.createNamespace('operator-image')
    const port = await freePort()
    running = await startContainer(image, {
      env: {
        KUBECONFIG: '/etc/helpdesk/kubeconfig',
        HELPDESK_OPERATOR_WATCH_NAMESPACES: namespace,
        HELPDESK_OPERATOR_LEADER_ELECTION_NAMESPACE: namespace,
        HELPDESK_OPERATOR_METRICS_PORT: String(port),
      },
      volumes: [kubeconfigVolume(namespace)],
    })
    await waitForStatus(running, `http://127.0.0.1:${port}/readyz`, 200)
    // /metrics only for a token the API server allows to read it (here: the admin's).
    const metrics = `http://127.0.0.1:${port}/metrics`
    expect((await fetch(metrics)).status).toBe(401)
    const allowed = await fetch(metrics, {
      headers: { authorization: `Bearer ${kubernetes.token}` },
    })
    expect(allowed.status).toBe(200)
    await waitFor('the operator to hold its Lease', async () => {
      const lease = await kubeRequest(
        kubernetes,
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/helpdesk-operator`,
      )
      return Boolean((lease.body as { spec?: { holderIdentity?: string } })?.spec?.holderIdentity)
    })
    expect(new Set(await running.processUids())).toEqual(new Set([10001]))

    await running.signal('SIGTERM')
    expect(await running.exitCode(40_000)).toBe(0)
  })
})
