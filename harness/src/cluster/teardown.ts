// Removes a test cluster and everything it made on the host: processes (ours, the containers'
// and the shims that outlive containerd), mounts, the bridge and its veths, the stand-in for an
// address off the machine, packet-filter tables, chains and sets, conntrack entries, cgroups,
// the host paths the components create outside their directories, and the cluster directory. It runs after a normal run, from the
// janitor when the test process dies, and before a new cluster starts (a killed janitor leaves
// everything behind). Every step tolerates finding nothing.
//
//   node teardown.ts        (the janitor's command; also usable by hand)
import {
  type Dirent,
  existsSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { processIdentity } from '../proc.ts'
import { tryRunSync } from './command.ts'
import { maskOf } from './host-state.ts'
import {
  BRIDGE,
  CGROUP_ROOT,
  CLUSTER_DIR,
  CLUSTER_RANGE,
  HOST_PATHS,
  NFT_TABLE,
  paths,
  RULE_PREFIXES,
} from './layout.ts'
import { removeOutside } from './outside.ts'

/** What existed on the host before the cluster: the teardown never removes any of it. */
export interface Baseline {
  hostPaths: string[]
  /** `family name` of every nft table. */
  nftTables: string[]
}

export function nftTables(): string[] {
  return (tryRunSync('nft', ['list', 'tables']) ?? '')
    .split('\n')
    .map((line) => line.replace(/^table /, '').trim())
    .filter(Boolean)
}

function readBaseline(): Baseline | undefined {
  try {
    return JSON.parse(readFileSync(paths.baseline, 'utf8')) as Baseline
  } catch {
    return undefined
  }
}

/** This process and its ancestors (the janitor runs the teardown and names the directory too). */
function ownLineage(): Set<number> {
  const lineage = new Set<number>()
  let pid = process.pid
  while (pid > 1 && !lineage.has(pid)) {
    lineage.add(pid)
    const stat = tryRead(`/proc/${pid}/stat`)
    pid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : 0
  }
  return lineage
}

function tryRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Every cgroup directory of the cluster, in every hierarchy, deepest first. */
function clusterCgroups(): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name))
    found.push(dir)
  }
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    walk(path.join('/sys/fs/cgroup', hierarchy, CGROUP_ROOT))
  }
  return found.filter((dir) => existsSync(dir))
}

/** Our host processes (they name the cluster directory) and every process in our cgroups. */
function clusterPids(spare: Set<number>): number[] {
  const pids = new Set<number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const commandLine = tryRead(`/proc/${entry}/cmdline`)?.replaceAll('\0', ' ')
    if (commandLine?.includes(CLUSTER_DIR)) pids.add(Number(entry))
  }
  for (const dir of clusterCgroups()) {
    for (const pid of (tryRead(path.join(dir, 'cgroup.procs')) ?? '').split('\n')) {
      if (pid) pids.add(Number(pid))
    }
  }
  return [...pids].filter((pid) => !spare.has(pid))
}

function killAll(): void {
  const spare = ownLineage()
  for (let round = 0; round < 100; round++) {
    const pids = clusterPids(spare)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
  }
}

function unmountAll(): void {
  for (let round = 0; round < 5; round++) {
    const mounts = mountTargets()
      .filter((target) => target === CLUSTER_DIR || target.startsWith(`${CLUSTER_DIR}/`))
      .sort((a, b) => b.length - a.length)
    if (mounts.length === 0) return
    for (const target of mounts) {
      if (tryRunSync('umount', [target]) === undefined) tryRunSync('umount', ['-l', target])
    }
  }
}

function removeNetwork(): void {
  const ports = tryRunSync('ip', ['-o', 'link', 'show', 'master', BRIDGE]) ?? ''
  for (const line of ports.split('\n')) {
    const name = line.split(':')[1]?.trim().split('@')[0]
    if (name) tryRunSync('ip', ['link', 'delete', name])
  }
  tryRunSync('ip', ['link', 'delete', BRIDGE])
  removeOutside()
}

/** Chains named by RULE_PREFIXES in the iptables-nft tables, and every rule that jumps to them. */
function removeChains(): void {
  const ours = (chain: string) => RULE_PREFIXES.some((prefix) => chain.startsWith(prefix))
  for (const iptables of ['iptables', 'ip6tables']) {
    for (const table of ['filter', 'nat', 'mangle', 'raw']) {
      const rules = tryRunSync(iptables, ['-w', '-t', table, '-S'])
      if (!rules) continue
      const chains: string[] = []
      for (const rule of rules.split('\n')) {
        const [verb, chain, ...rest] = rule.split(' ')
        if (verb === '-N' && chain && ours(chain)) chains.push(chain)
        const target = rest[rest.indexOf('-j') + 1] ?? rest[rest.indexOf('-g') + 1]
        if (verb === '-A' && chain && !ours(chain) && target && ours(target)) {
          tryRunSync(iptables, ['-w', '-t', table, '-D', chain, ...rest])
        }
      }
      for (const chain of chains) tryRunSync(iptables, ['-w', '-t', table, '-F', chain])
      for (const chain of chains) tryRunSync(iptables, ['-w', '-t', table, '-X', chain])
    }
  }
}

function removeFilters(baseline: Baseline | undefined): void {
  tryRunSync('nft', ['delete', 'table', 'ip', NFT_TABLE])
  for (const family of ['ip', 'ip6']) tryRunSync('nft', ['delete', 'table', family, 'kube-proxy'])
  removeChains()
  // Tables the iptables commands created for the cluster's chains, now empty.
  if (baseline) {
    for (const table of nftTables()) {
      if (!baseline.nftTables.includes(table)) {
        const [family, name] = table.split(' ')
        tryRunSync('nft', ['delete', 'table', family as string, name as string])
      }
    }
  }
  for (const set of (tryRunSync('ipset', ['list', '-n']) ?? '').split('\n')) {
    if (set && RULE_PREFIXES.some((prefix) => set.startsWith(prefix))) {
      tryRunSync('ipset', ['destroy', set])
    }
  }
  const [network, bits] = CLUSTER_RANGE.split('/') as [string, string]
  tryRunSync('conntrack', ['-D', '-s', network, '--mask-src', maskOf(Number(bits))])
  tryRunSync('conntrack', ['-D', '-d', network, '--mask-dst', maskOf(Number(bits))])
}

function removeCgroups(): void {
  for (let round = 0; round < 20; round++) {
    const remaining = clusterCgroups()
    if (remaining.length === 0) return
    for (const dir of remaining) {
      try {
        rmdirSync(dir)
      } catch {
        // Still busy (a process exiting): the next round retries.
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
  }
}

function removeHostPaths(baseline: Baseline | undefined): void {
  if (!baseline) return
  for (const hostPath of HOST_PATHS) {
    if (baseline.hostPaths.includes(hostPath)) continue
    unmount(hostPath)
    rmSync(hostPath, { recursive: true, force: true })
  }
}

/** Every mount on `target` (none is fine): removing a mount point would fail or reach inside. */
function unmount(target: string): void {
  for (let round = 0; round < 5 && mountTargets().includes(target); round++) {
    if (tryRunSync('umount', [target]) === undefined) tryRunSync('umount', ['-l', target])
  }
}

function mountTargets(): string[] {
  return (tryRead('/proc/self/mountinfo') ?? '')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((target) => target.replaceAll('\\040', ' '))
}

/**
 * Removes the cluster and every trace of it; safe to run when there is nothing to remove.
 * While it works the directory names it as owner, so a run starting meanwhile waits instead
 * of building a cluster this teardown would then remove.
 */
export function teardown(): void {
  if (existsSync(CLUSTER_DIR)) writeFileSync(paths.owner, processIdentity(process.pid) ?? '')
  const baseline = readBaseline()
  killAll()
  unmountAll()
  removeNetwork()
  removeFilters(baseline)
  removeCgroups()
  removeHostPaths(baseline)
  // One file system only: never into a mount that survived the unmounting above.
  tryRunSync('rm', ['-rf', '--one-file-system', CLUSTER_DIR])
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) teardown()
