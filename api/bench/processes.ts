// Benchmarks start servers as plain child processes: this starts one and waits for it.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'
import type { MemoryLimit } from '../../harness/src/bench/memory-limit.ts'
import bundleOptions from '../rolldown.config.ts'

/** BENCH_CPU_PROF=dir: each server's CPU profile (.cpuprofile) is written there on exit. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF

/** Servers still running: a benchmark that is stopped or fails takes them with it. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]))
}

/**
 * Runs `script` (relative to this folder) under this Node with only PATH and `env`, with
 * `args`, inside `limit` when given. Exiting before `stop()` ends the benchmark: its figures
 * would be of a dead server.
 */
export function startServer(
  script: string,
  env: Record<string, string>,
  options: { args?: string[]; limit?: MemoryLimit } = {},
): { child: ChildProcess; stop(): Promise<void> } {
  let stopping = false
  const node = [
    '--no-warnings',
    ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
    fileURLToPath(new URL(script, import.meta.url)),
    ...(options.args ?? []),
  ]
  const { command, args } = options.limit?.wrap(process.execPath, node) ?? {
    command: process.execPath,
    args: node,
  }
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => running.delete(child))
  child.on('exit', (code, signal) => {
    if (stopping) return
    process.stderr.write(`${script} exited with ${code ?? signal}\n`)
    process.exit(1)
  })
  return {
    child,
    stop: () => {
      stopping = true
      child.kill('SIGTERM')
      return exited
    },
  }
}

/**
 * Bundles `entries` (bundle name → source, relative to the API folder) as the image's bundle
 * is built (`rolldown.config.ts`) into the API's `dist/`, so a benchmark runs what a pod runs:
 * start `../dist/<name>.js`.
 */
export async function bundleLikeTheImage(entries: Record<string, string>): Promise<void> {
  const apiDir = fileURLToPath(new URL('..', import.meta.url))
  await build({
    ...bundleOptions,
    input: entries,
    cwd: apiDir,
    output: { ...bundleOptions.output, dir: path.join(apiDir, 'dist') },
  })
}

/** Resolves once `url` answers 2xx; throws after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime
  // are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

const CLOCK_TICKS_PER_SECOND = 100

/** A process's resident memory, from /proc (Linux), in MB. */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

/** The highest RSS `pid` reaches while `work` runs, sampled every 100 ms. */
export async function peakRss<T>(pid: number, work: Promise<T>): Promise<[T, number]> {
  let peak = rssMegabytes(pid)
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMegabytes(pid))
  }, 100)
  try {
    const result = await work
    return [result, Math.max(peak, rssMegabytes(pid))]
  } finally {
    clearInterval(sampler)
  }
}
