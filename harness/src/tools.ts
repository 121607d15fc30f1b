import { accessSync, constants, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file lives in harness/src). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Each Go-built tool: the cache entry `tools/install.sh` builds it in, and its version key. */
const GO_BUILDS: Record<string, { build: string; version: string }> = {
  helm: { build: 'helm', version: 'HELM_VERSION' },
  etcd: { build: 'etcd', version: 'ETCD_VERSION' },
  minio: { build: 'minio', version: 'MINIO_VERSION' },
  'kube-score': { build: 'kube-score', version: 'KUBE_SCORE_VERSION' },
  mailpit: { build: 'mailpit', version: 'MAILPIT_VERSION' },
  ...Object.fromEntries(
    [
      'kube-apiserver',
      'kubectl',
      'kubelet',
      'kube-proxy',
      'kube-scheduler',
      'kube-controller-manager',
    ].map((tool) => [tool, { build: 'kubernetes', version: 'KUBERNETES_VERSION' }]),
  ),
  ...Object.fromEntries(
    ['containerd', 'ctr', 'containerd-shim-runc-v2'].map((tool) => [
      tool,
      { build: 'containerd', version: 'CONTAINERD_VERSION' },
    ]),
  ),
  coredns: { build: 'coredns', version: 'COREDNS_VERSION' },
  'local-path-provisioner': {
    build: 'local-path-provisioner',
    version: 'LOCAL_PATH_PROVISIONER_VERSION',
  },
  'metrics-server': { build: 'metrics-server', version: 'METRICS_SERVER_VERSION' },
  'kube-router': { build: 'kube-router', version: 'KUBE_ROUTER_VERSION' },
}
/** PyPI tools in their own virtualenvs under the cache (tools/install.sh). */
const PYTHON_TOOL_VERSIONS: Record<string, string> = {
  checkov: 'CHECKOV_VERSION',
}
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin'

let versions: Record<string, string> | undefined

/** tools/versions.env, the one place tool versions are pinned. */
export function toolVersions(): Record<string, string> {
  versions ??= Object.fromEntries(
    readFileSync(path.join(repoRoot, 'tools/versions.env'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim()))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[3]]),
  ) as Record<string, string>
  return versions
}

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache')
  return process.env.HELPDESK_CACHE ?? path.join(base, 'helpdesk')
}

/**
 * Absolute path of a tool installed by `make tools`: the cached Go builds, Postgres 15's
 * binaries, then PATH. Throws a message that says how to get it.
 */
export function toolPath(name: string): string {
  const candidates: string[] = []
  const goBuild = GO_BUILDS[name]
  if (goBuild) {
    const version = toolVersions()[goBuild.version]
    candidates.push(path.join(cacheDir(), 'go', `${goBuild.build}-${version}`, 'bin', name))
  }
  const pythonKey = PYTHON_TOOL_VERSIONS[name]
  if (pythonKey) {
    const version = toolVersions()[pythonKey]
    candidates.push(path.join(cacheDir(), 'python', `${name}-${version}`, 'bin', name))
  }
  candidates.push(path.join(POSTGRES_BIN, name))
  // Daemons from Debian packages (dovecot) live in sbin, which a user's PATH may leave out.
  candidates.push(path.join('/usr/sbin', name))
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, name))
  }
  const found = candidates.find(isExecutable)
  if (!found)
    throw new Error(`${name} is not installed: run \`make tools\` (looked in ${candidates[0]})`)
  return found
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
