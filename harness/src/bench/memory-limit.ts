// Benchmarks measure memory as a pod has it: inside a memory cgroup with the chart's limit.
// V8 sizes its heap and young generation from that limit (Node reads the cgroup); without one
// it sizes them from the host, and the resident set measures garbage V8 had no reason to
// collect (the operator with 500 Helpdesks: 593 MiB unlimited, 292 MiB under 512Mi).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const PREFIX = 'helpdesk-bench-'

export interface MemoryLimit {
  /** Runs `command args` inside the cgroup: pass these to spawn or supervise instead. */
  wrap(command: string, args: string[]): { command: string; args: string[] }
  /** How the figures were taken, for the benchmark's row names. */
  description: string
  /** Removes the cgroup once its processes have exited. */
  release(): void
}

/**
 * A memory cgroup limited to `limit` (Kubernetes quantity: `512Mi`, `1Gi`) beside this
 * process's own, cgroup v1 or v2. Where none can be made (not root, no memory controller) the
 * processes run unlimited and `description` says so. Groups left by a killed run are removed
 * first.
 */
export function memoryLimit(limit: string): MemoryLimit {
  const parent = ownMemoryCgroup()
  if (!parent) return unlimited(`no memory limit (no writable memory cgroup; ${limit} asked)`)
  removeLeftovers(parent.dir)
  const dir = path.join(parent.dir, `${PREFIX}${process.pid}-${Date.now()}`)
  try {
    mkdirSync(dir)
    writeFileSync(
      path.join(dir, parent.v2 ? 'memory.max' : 'memory.limit_in_bytes'),
      String(bytes(limit)),
    )
  } catch (error) {
    return unlimited(`no memory limit (${(error as Error).message}; ${limit} asked)`)
  }
  const procs = path.join(dir, 'cgroup.procs')
  return {
    // sh joins the group, then becomes the command: the process measured is the one limited.
    wrap: (command, args) => ({
      command: '/bin/sh',
      args: ['-c', `echo $$ > '${procs}' && exec "$0" "$@"`, command, ...args],
    }),
    description: `under a ${limit} memory limit, as in a pod`,
    release: () => removeEmpty(dir),
  }
}

function unlimited(description: string): MemoryLimit {
  process.stderr.write(`bench: ${description}\n`)
  return { wrap: (command, args) => ({ command, args }), description, release: () => {} }
}

/** The directory of this process's memory cgroup, when it can hold children. */
function ownMemoryCgroup(): { dir: string; v2: boolean } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')
  const v1 = lines
    .map((line) => line.split(':'))
    .find(([, controllers]) => controllers === 'memory')
  if (v1?.[2] !== undefined && existsSync('/sys/fs/cgroup/memory')) {
    return { dir: path.join('/sys/fs/cgroup/memory', v1[2]), v2: false }
  }
  const v2 = lines.find((line) => line.startsWith('0::'))
  if (v2 && existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    const dir = path.join('/sys/fs/cgroup', v2.slice(3))
    const enabled = readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8')
    return enabled.split(' ').includes('memory') ? { dir, v2: true } : undefined
  }
  return undefined
}

function removeLeftovers(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (name.startsWith(PREFIX)) removeEmpty(path.join(parent, name))
  }
}

/** A cgroup can only go once no process is in it; a busy one is left for the next run. */
function removeEmpty(dir: string): void {
  try {
    if (readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim() === '') rmdirSync(dir)
  } catch {
    // Gone already, or still busy.
  }
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }

function bytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity)
  if (!match?.[1] || !match[2]) throw new Error(`memory limit ${quantity}: use Ki, Mi or Gi`)
  return Number(match[1]) * (UNITS[match[2]] as number)
}
