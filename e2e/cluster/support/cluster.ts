// The tier's handle on the node: kubectl and helm as the cluster admin, and the waits and
// checks every test uses (pods Ready, restarts, Warning events).
import { execFile } from 'node:child_process'
import { helm as harnessHelm, testServices, toolPath } from '@helpdesk/harness'

export function cluster() {
  return testServices.cluster()
}

/** kubectl as the cluster admin; resolves stdout, rejects with kubectl's own message. */
export function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      toolPath('kubectl'),
      [`--kubeconfig=${cluster().kubeconfig}`, ...args],
      { maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr.trim() || error.message}`))
        else resolve(stdout)
      },
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}

export async function kubectlJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '--output=json'])) as T
}

export function helm(args: string[]): Promise<string> {
  return harnessHelm(args, { kubeconfig: cluster().kubeconfig })
}

export interface Pod {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[] }
  spec: { containers: { name: string; image: string }[] }
  status: {
    phase: string
    podIP?: string
    conditions?: { type: string; status: string }[]
    containerStatuses?: { name: string; ready: boolean; restartCount: number }[]
  }
}

export async function pods(namespace: string, selector?: string): Promise<Pod[]> {
  const args = [
    'get',
    'pods',
    `--namespace=${namespace}`,
    ...(selector ? [`--selector=${selector}`] : []),
  ]
  return (await kubectlJson<{ items: Pod[] }>(args)).items
}

/** Containers that restarted, as `pod/container: n` — empty when none did. */
export async function restarts(namespace: string): Promise<string[]> {
  return (await pods(namespace)).flatMap((pod) =>
    (pod.status.containerStatuses ?? [])
      .filter((status) => status.restartCount > 0)
      .map((status) => `${pod.metadata.name}/${status.name}: ${status.restartCount}`),
  )
}

export interface KubeEvent {
  type: string
  reason: string
  message: string
  involvedObject: { kind: string; name: string }
}

/**
 * Warning events a healthy first install still shows, each with why it is expected. Anything
 * else — a failed mount, schedule or pull, a back-off, a probe failing for another reason —
 * is a finding.
 */
export const EXPECTED_WARNINGS: { pattern: RegExp; why: string }[] = [
  {
    // Any pod: how soon the first probe comes after the container starts depends on the
    // machine's load (one run saw MinIO's and nginx's); a probe that gave up would have
    // restarted the container, which the tests count separately.
    pattern: /^Pod\/\S+ Unhealthy: Startup probe failed: .*connect: connection refused$/,
    why: 'the process has not opened its port yet: what a startup probe is there for',
  },
  {
    pattern:
      /^Pod\/\S+-api-\S+ Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503$/,
    why: 'readiness waits for Postgres, Redis, the migrations Job and the first admin',
  },
  {
    pattern: /^Pod\/\S+-minio-0 Unhealthy: Readiness probe failed: .*connect: connection refused$/,
    why: 'MinIO has not opened its port yet',
  },
  {
    pattern:
      /^Pod\/\S+-postgres-0 Unhealthy: (Startup|Readiness) probe failed: 127\.0\.0\.1:5432 - no response\s*$/,
    why: 'Postgres runs initdb on its first start: what its startup probe waits for',
  },
  {
    // Any pod: a CI run on a loaded machine saw it for the api's app-keys volume and the
    // migrations' environment; the kubelet tries again, and a pod that never started would
    // fail the Ready, restart and Job checks, which the tests make separately.
    pattern:
      /^Pod\/\S+ (FailedMount: MountVolume\.SetUp failed for volume "[^"]+" : |Failed: Error: )failed to sync (secret|configmap) cache: timed out waiting for the condition$/,
    why: 'the kubelet had not yet received the new Secret from a slow API server',
  },
  {
    pattern:
      /^HorizontalPodAutoscaler\/\S+ (FailedGetResourceMetric|FailedComputeMetricsReplicas): .*(no metrics returned from resource metrics API|unable to fetch metrics from resource metrics API|did not receive metrics for targeted pods)/,
    why: 'metrics-server has no sample of a new pod until its next scrape (15 s resolution)',
  },
]

/** Warning events that EXPECTED_WARNINGS does not explain. */
export async function unexpectedWarnings(namespace: string): Promise<string[]> {
  return (await warnings(namespace)).filter(
    (event) => !EXPECTED_WARNINGS.some(({ pattern }) => pattern.test(event)),
  )
}

/** Warning events of a namespace, as `Kind/name Reason: message`. */
export async function warnings(namespace: string): Promise<string[]> {
  const { items } = await kubectlJson<{ items: KubeEvent[] }>([
    'get',
    'events',
    `--namespace=${namespace}`,
  ])
  return items
    .filter((event) => event.type === 'Warning')
    .map(
      (event) =>
        `${event.involvedObject.kind}/${event.involvedObject.name} ${event.reason}: ${event.message}`,
    )
}

/** Polls until `check` resolves a value other than undefined, or fails with the last reason. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 300_000, intervalMs = 1_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not reached within ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/**
 * The address to reach a Service at from the host: its ClusterIP, or for a headless Service
 * (the data stores' StatefulSets) the address of its first ready endpoint.
 */
export async function serviceIp(namespace: string, name: string): Promise<string> {
  const clusterIp = (
    await kubectl([
      'get',
      'service',
      name,
      `--namespace=${namespace}`,
      '--output=jsonpath={.spec.clusterIP}',
    ])
  ).trim()
  if (clusterIp !== 'None') return clusterIp
  return eventually(`a ready endpoint of the headless Service ${namespace}/${name}`, async () => {
    const slices = await kubectlJson<{
      items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[]
    }>([
      'get',
      'endpointslices',
      `--namespace=${namespace}`,
      `--selector=kubernetes.io/service-name=${name}`,
    ])
    const ready = slices.items
      .flatMap((slice) => slice.endpoints ?? [])
      .find((endpoint) => endpoint.conditions?.ready !== false)
    return ready?.addresses[0]
  })
}

/** A namespace that enforces Pod Security "restricted", as we ask of every install. */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(16).slice(2, 8)}`
  await kubectl(['create', 'namespace', name])
  await kubectl(['label', 'namespace', name, 'pod-security.kubernetes.io/enforce=restricted'])
  return name
}

/** Deletes a namespace and waits until it is gone, so the next test has the node's CPU. */
export async function deleteNamespace(name: string): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--wait=true', '--timeout=300s'])
}
