// What a test cluster could change on the host, read in one snapshot: a run takes one before
// the cluster starts and one after its teardown, and they must be equal.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { tryRunSync } from './command.ts'
import { CLUSTER_DIR, CLUSTER_RANGE, HOST_PATHS } from './layout.ts'

export interface HostState {
  /** Kernel settings, by /proc/sys path (net.ipv4.ip_forward is `net/ipv4/ip_forward`). */
  sysctls: Record<string, string>
  links: string[]
  routes: string[]
  /** `nft list ruleset`: every table, chain and rule (iptables-nft rules included). */
  ruleset: string
  ipsets: string[]
  mounts: string[]
  /** Top-level cgroups of every hierarchy. */
  cgroups: string[]
  hostPaths: string[]
  /** Processes that run a cluster component or live in the cluster's directory. */
  processes: string[]
  /** Connection-tracking entries from or to the cluster's addresses. */
  conntrackEntries: number
  clusterDir: boolean
}

/**
 * The sysctls that node components are known to retune, and the families they live in.
 * Counters and per-interface entries of interfaces that come and go are left out.
 */
const SYSCTL_ROOTS = [
  'vm',
  'kernel',
  'net/ipv4',
  'net/ipv6',
  'net/bridge',
  'net/netfilter',
  'net/core',
]
const VOLATILE = [
  /^kernel\/random\//,
  /^kernel\/ns_last_pid$/,
  /^kernel\/pty\/nr$/,
  /^kernel\/tainted$/,
  /^kernel\/sched_domain\//,
  /^kernel\/keys\/(gc_delay|persistent_keyring_expiry)$/,
  /^vm\/(drop_caches|compact_memory|stat_refresh)$/,
  /^net\/netfilter\/nf_conntrack_count$/,
  /^net\/ipv[46]\/(conf|neigh)\/(?!all\/|default\/|lo\/|eth0\/)/,
  /^net\/ipv4\/tcp_fastopen_key$/,
  /^net\/ipv6\/conf\/.*\/stable_secret$/,
  /^net\/core\/(bpf_jit_|netdev_rss_key)/,
  /^kernel\/(usermodehelper|seccomp)\//,
]
/**
 * Programs only a test cluster runs here (etcd and kube-apiserver also run alone for other
 * tests, so ours are known by the cluster directory in their arguments).
 */
const COMPONENTS = [
  'kubelet',
  'containerd',
  'containerd-shim-runc-v2',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'kube-router',
  'coredns',
  'local-path-provisioner',
  'metrics-server',
]

function readSysctls(): Record<string, string> {
  const values: Record<string, string> = {}
  const walk = (relative: string) => {
    const absolute = path.join('/proc/sys', relative)
    let entries: string[]
    try {
      entries = readdirSync(absolute)
    } catch {
      return
    }
    for (const entry of entries) {
      const key = `${relative}/${entry}`
      if (VOLATILE.some((pattern) => pattern.test(key))) continue
      let stats: ReturnType<typeof statSync>
      try {
        stats = statSync(path.join('/proc/sys', key))
      } catch {
        continue
      }
      if (stats.isDirectory()) {
        walk(key)
      } else if (stats.mode & 0o444) {
        try {
          values[key] = readFileSync(path.join('/proc/sys', key), 'utf8').trim()
        } catch {
          // Write-only or refused: not something we could have changed either.
        }
      }
    }
  }
  for (const root of SYSCTL_ROOTS) walk(root)
  return values
}

function lines(output: string | undefined): string[] {
  return (output ?? '').split('\n').filter((line) => line.trim() !== '')
}

function clusterProcesses(): string[] {
  const found: string[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let commandLine: string
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
    } catch {
      continue
    }
    const program = path.basename(commandLine.split(' ')[0] ?? '')
    if (COMPONENTS.includes(program) || commandLine.includes(`${CLUSTER_DIR}/`)) {
      found.push(commandLine.slice(0, 200))
    }
  }
  return found.sort()
}

/**
 * Top-level cgroups a node's components could create (ours, or the kubelet's and containerd's
 * defaults should a setting be lost); other programs' (a concurrent buildah, say) come and go.
 */
const NODE_CGROUPS =
  /^(helpdesk-cluster|kubepods.*|kubelet.*|k8s\.io|containerd.*|system\.slice|runtime)$/

function cgroups(): string[] {
  const found: string[] = []
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const dir = path.join('/sys/fs/cgroup', hierarchy)
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && NODE_CGROUPS.test(entry.name))
          found.push(`${hierarchy}/${entry.name}`)
      }
    } catch {
      // Not a directory (a symlink such as cpu,cpuacct) or unreadable.
    }
  }
  return found.sort()
}

function conntrackEntries(): number {
  const [network, bits] = CLUSTER_RANGE.split('/')
  const mask = maskOf(Number(bits))
  let count = 0
  for (const direction of [
    ['-s', '--mask-src'],
    ['-d', '--mask-dst'],
  ]) {
    const output = tryRunSync('conntrack', [
      '-L',
      direction[0] as string,
      network as string,
      direction[1] as string,
      mask,
    ])
    count += lines(output).length
  }
  return count
}

/** 23 → 255.255.254.0 */
export function maskOf(bits: number): string {
  const value = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.')
}

export function readHostState(): HostState {
  const mounts = lines(readFileSync('/proc/self/mountinfo', 'utf8'))
    .map((line) => line.split(' ')[4] ?? '')
    .sort()
  return {
    sysctls: readSysctls(),
    links: lines(tryRunSync('ip', ['-o', 'link', 'show']))
      .map((line) => line.split(':')[1]?.trim() ?? '')
      .sort(),
    routes: lines(tryRunSync('ip', ['route', 'show', 'table', 'all'])).sort(),
    ruleset: tryRunSync('nft', ['list', 'ruleset']) ?? '',
    ipsets: lines(tryRunSync('ipset', ['list', '-n'])).sort(),
    mounts,
    cgroups: cgroups(),
    hostPaths: HOST_PATHS.filter((hostPath) => existsSync(hostPath)),
    processes: clusterProcesses(),
    conntrackEntries: conntrackEntries(),
    clusterDir: existsSync(CLUSTER_DIR),
  }
}

/** Every way `after` differs from `before`, one readable line each. */
export function hostStateChanges(before: HostState, after: HostState): string[] {
  const changes: string[] = []
  for (const [key, value] of Object.entries(before.sysctls)) {
    const now = after.sysctls[key]
    if (now !== undefined && now !== value) changes.push(`sysctl ${key}: ${value} → ${now}`)
  }
  const listed = [
    'links',
    'routes',
    'ipsets',
    'mounts',
    'cgroups',
    'hostPaths',
    'processes',
  ] as const
  for (const field of listed) {
    const added = after[field].filter((item) => !before[field].includes(item))
    const removed = before[field].filter((item) => !after[field].includes(item))
    for (const item of added) changes.push(`${field}: left behind ${item}`)
    for (const item of removed) changes.push(`${field}: gone ${item}`)
  }
  if (after.ruleset !== before.ruleset) changes.push(`nft ruleset changed:\n${after.ruleset}`)
  if (after.conntrackEntries > before.conntrackEntries) {
    changes.push(
      `conntrack: ${after.conntrackEntries - before.conntrackEntries} entries of the cluster's addresses`,
    )
  }
  if (after.clusterDir) changes.push(`${CLUSTER_DIR} left behind`)
  return changes
}
