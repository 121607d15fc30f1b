// A tiny supervisor, run as its own detached process, that guarantees test services and
// their directories disappear with the test run that started them — also when that run is
// interrupted with Ctrl-C or killed outright, when no teardown code of the run can execute.
//
//   node watchdog.ts '<json WatchdogSpec>'
//
// It starts `command` (if any) in its own process group with output appended to `log`,
// and when the parent process is gone or the watchdog receives SIGTERM/SIGINT/SIGHUP it
// stops the group (stopSignal, then SIGKILL after graceMs), runs `cleanup` (if any) and
// removes `dir`.
// Over its IPC channel it takes 'freeze' (SIGSTOP to the service's whole process tree, so
// a test can make a dependency hang without the watchdog stopping) and 'thaw', and answers
// each once done. A closed channel means the parent is gone, like a failed poll.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, openSync, readdirSync, rmSync } from 'node:fs'
import { isAlive, parentOf } from './proc.ts'

export interface WatchdogSpec {
  /** Process whose death ends the service. */
  parent: number
  /** Directory removed once the service has stopped. */
  dir?: string
  /** Service to supervise; omitted for a watchdog that only guards `dir`. */
  command?: string
  args?: string[]
  env?: Record<string, string>
  cwd?: string
  log?: string
  /** @default 'SIGTERM' */
  stopSignal?: NodeJS.Signals
  /** @default 10000 */
  graceMs?: number
  /** Run once the service has stopped, before `dir` goes: for what a service leaves outside it. */
  cleanup?: { command: string; args: string[] }
}

const PARENT_POLL_MS = 250
const REMOVE_DEADLINE_MS = 60_000
const CLEANUP_DEADLINE_MS = 180_000

function main(spec: WatchdogSpec): void {
  let child: ChildProcess | undefined
  let stopping = false

  const removeDirAndExit = (code: number): never => {
    if (spec.cleanup) {
      spawnSync(spec.cleanup.command, spec.cleanup.args, {
        stdio: 'ignore',
        timeout: CLEANUP_DEADLINE_MS,
      })
    }
    removeDir(spec.dir)
    process.exit(code)
  }

  const stop = (): void => {
    if (stopping) return
    stopping = true
    if (!child || child.exitCode !== null || child.signalCode !== null) removeDirAndExit(0)
    signalGroup(child, spec.stopSignal ?? 'SIGTERM')
    signalTree(child, 'SIGCONT')
    setTimeout(() => signalGroup(child, 'SIGKILL'), spec.graceMs ?? 10_000).unref()
  }

  if (spec.command) {
    const log = spec.log ? openSync(spec.log, 'a') : 'ignore'
    child = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', log, log],
      detached: true,
    })
    child.on('exit', (code, signal) => {
      // The service stopped on its own (crash) or because we asked: either way, its
      // group may still hold helpers (postgres backends), so make sure they go too.
      signalGroup(child, 'SIGKILL')
      removeDirAndExit(stopping ? 0 : (code ?? (signal ? 1 : 0)))
    })
    child.on('error', () => removeDirAndExit(127))
  }

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop)
  process.on('message', (request) => {
    signalTree(child, request === 'freeze' ? 'SIGSTOP' : 'SIGCONT')
    process.send?.(request)
  })
  process.on('disconnect', stop)
  setInterval(() => {
    if (!isAlive(spec.parent)) stop()
  }, PARENT_POLL_MS)
}

function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

/**
 * Signals the group and every descendant: some services move their workers into groups of
 * their own (each Postgres backend calls setsid), and a freeze must reach them too.
 */
function signalTree(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  signalGroup(child, signal)
  if (!child?.pid) return
  for (const pid of descendants(child.pid)) {
    try {
      process.kill(pid, signal)
    } catch {
      // Already gone.
    }
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const parent = parentOf(pid)
    // Undefined when the process ended while we looked.
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid])
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    for (const pid of children.get(queue.shift() as number) ?? []) {
      found.push(pid)
      queue.push(pid)
    }
  }
  return found
}

/**
 * Removes `dir`, retrying while services under it are still stopping and writing (all the
 * watchdogs of a run act at once when it dies). Node's rmSync can return without an error
 * while a concurrent writer has refilled the tree, so success is judged by the result.
 */
function removeDir(dir: string | undefined): void {
  if (!dir) return
  const deadline = Date.now() + REMOVE_DEADLINE_MS
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // Retried below.
    }
    if (!existsSync(dir) || Date.now() > deadline) return
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
  }
}

const specArgument = process.argv[2]
if (specArgument) main(JSON.parse(specArgument) as WatchdogSpec)
