// A test run that dies with a cluster running leaves the host as it found it: interrupted
// (Ctrl-C), its janitor removes everything; killed together with its janitor, the next run
// removes what is left before it starts. Compared field by field with a snapshot of the host
// taken before (sysctls, links, routes, packet-filter rules and sets, mounts, cgroups, host
// paths, processes, conntrack entries).
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  CLUSTER_DIR,
  hostStateChanges,
  readHostState,
  reapAbandonedCluster,
} from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'

const fixture = fileURLToPath(new URL('./start-cluster.ts', import.meta.url))

async function runningCluster() {
  const child = spawn(process.execPath, ['--no-warnings', fixture], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the cluster fixture exited early (${code})`)))
  })
  return child
}

function commandLines(): [number, string][] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid): [number, string][] => {
      try {
        return [[Number(pid), readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')]]
      } catch {
        return []
      }
    })
}

/** The cluster's janitor: the watchdog whose clean-up runs the teardown. */
function janitorPids(): number[] {
  return commandLines()
    .filter(([, line]) => line.includes('teardown.ts'))
    .map(([pid]) => pid)
}

function running(program: string): boolean {
  return commandLines().some(([, line]) => line.split(' ')[0]?.endsWith(`/${program}`))
}

async function until(check: () => boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('a test cluster never outlives its run', () => {
  it('is removed by its janitor when the run is interrupted (SIGINT)', async () => {
    const before = readHostState()
    const child = await runningCluster()
    child.kill('SIGINT')
    await until(() => !existsSync(CLUSTER_DIR))
    expect(hostStateChanges(before, readHostState())).toEqual([])
  })

  it('is removed by the next run when the run and its janitor were killed (SIGKILL)', async () => {
    const before = readHostState()
    const child = await runningCluster()
    for (const pid of janitorPids()) process.kill(pid, 'SIGKILL')
    child.kill('SIGKILL')
    // The components' own watchdogs stop them; containers, mounts and the network stay.
    await until(() => !running('kubelet') && !running('containerd'))
    expect(existsSync(CLUSTER_DIR)).toBe(true)
    // What the next run does first: find the dead owner and remove what it left.
    expect(reapAbandonedCluster()).toBe(true)
    expect(hostStateChanges(before, readHostState())).toEqual([])
  })
})
