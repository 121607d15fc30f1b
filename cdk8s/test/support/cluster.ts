// The harness's real kube-apiserver: kubectl for server-side applies (strict field
// validation), plain requests for the rest, and Pod Security checks of pod templates.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { kubeRequest, serviceDir, testServices, toolPath } from '@helpdesk/harness'
import type { KubeObject } from '../../src/render/kube-object.ts'

const run = promisify(execFile)
const scratch = serviceDir('helpdesk-cdk8s-cluster')
let files = 0

export const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
}

export function cluster() {
  return testServices.kubernetes()
}

/**
 * A namespace enforcing Pod Security "restricted", with the "default" ServiceAccount that
 * kube-controller-manager (absent here) would create; pods without their own use it.
 */
export async function restrictedNamespace(prefix: string): Promise<string> {
  const namespace = await cluster().createNamespace(prefix, RESTRICTED)
  const created = await request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
    metadata: { name: 'default' },
  })
  if (created.status !== 201)
    throw new Error(`creating the default ServiceAccount: ${JSON.stringify(created.body)}`)
  return namespace
}

/** kubectl with the admin kubeconfig; rejects with kubectl's own message. */
export async function kubectl(args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(toolPath('kubectl'), ['--kubeconfig', cluster().kubeconfig, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const failure = error as Error & { stderr?: string }
    throw new Error(`kubectl ${args.join(' ')} failed:\n${failure.stderr || failure.message}`)
  }
}

function manifestFile(objects: KubeObject[]): string {
  files += 1
  const file = path.join(scratch, `objects-${files}.json`)
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }))
  return file
}

/**
 * Server-side apply; unknown or duplicate fields are errors, not warnings. Returns
 * kubectl's warnings (stderr) so callers can insist there are none.
 */
export async function apply(
  objects: KubeObject[],
  options: { dryRun?: boolean } = {},
): Promise<string> {
  const { stderr } = await kubectl([
    'apply',
    '--server-side',
    '--field-manager=cdk8s-test',
    '--validate=strict',
    // A dry run over objects helm created: take their fields over, only to validate.
    ...(options.dryRun ? ['--dry-run=server', '--force-conflicts'] : []),
    '-f',
    manifestFile(objects),
  ])
  return stderr
}

export async function request(method: string, urlPath: string, body?: unknown) {
  const { server, token, ca } = cluster()
  return kubeRequest({ server, token, ca }, method, urlPath, body)
}

type PodSpec = Record<string, unknown>

interface Workload {
  template?: { spec: PodSpec }
  jobTemplate?: { spec: { template: { spec: PodSpec } } }
  volumeClaimTemplates?: { metadata: { name: string } }[]
}

/**
 * The pod a workload's controller would create (the pod's own spec for a Pod); for a
 * StatefulSet with the claim volumes its controller adds.
 */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  const spec = object.spec as (PodSpec & Workload) | undefined
  switch (object.kind) {
    case 'Pod':
      return spec
    case 'Deployment':
    case 'Job':
      return spec?.template?.spec
    case 'CronJob':
      return spec?.jobTemplate?.spec.template.spec
    case 'StatefulSet': {
      const template = spec?.template?.spec as PodSpec
      const claims = (spec?.volumeClaimTemplates ?? []).map(({ metadata }) => ({
        name: metadata.name,
        persistentVolumeClaim: { claimName: `${metadata.name}-${object.metadata.name}-0` },
      }))
      return { ...template, volumes: [...((template.volumes as unknown[]) ?? []), ...claims] }
    }
    default:
      return undefined
  }
}

/**
 * Creates (dry run) a Pod from the spec in the namespace: Pod Security admission enforces
 * on pods only (workload objects merely get warnings), so this is the real test.
 */
export async function admitPod(namespace: string, name: string, spec: PodSpec) {
  return request('POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${name}-check`.slice(0, 63) },
    spec,
  })
}
