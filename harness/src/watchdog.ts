// A tiny supervisor, run as its own detached process, that guarantees test services and
// their directories disappear with the test run that started them — also when that run is
// interrupted with Ctrl-C or killed outright, when no teardown code of the run can execute.
//
//   node watchdog.ts '<json WatchdogSpec>'
//
// It starts `command` (if any) in its own process group with output appended to `log`,
// and when the parent process is gone or the watchdog receives SIGTERM/SIGINT/SIGHUP it
// stops the group (stopSignal, then SIGKILL after graceMs) and removes `dir`.
// SIGUSR1 freezes the group (SIGSTOP) and SIGUSR2 thaws it, so tests can make a
// dependency hang without the watchdog itself being stopped.
import { type ChildProcess, spawn } from 'node:child_process'
import { openSync, rmSync } from 'node:fs'

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
}

const PARENT_POLL_MS = 250

function main(spec: WatchdogSpec): void {
  let child: ChildProcess | undefined
  let stopping = false

  const removeDirAndExit = (code: number): never => {
    removeDir(spec.dir)
    process.exit(code)
  }

  const stop = (): void => {
    if (stopping) return
    stopping = true
    if (!child || child.exitCode !== null || child.signalCode !== null) removeDirAndExit(0)
    signalGroup(child, spec.stopSignal ?? 'SIGTERM')
    signalGroup(child, 'SIGCONT')
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
  process.on('SIGUSR1', () => signalGroup(child, 'SIGSTOP'))
  process.on('SIGUSR2', () => signalGroup(child, 'SIGCONT'))
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
}

const specArgument = process.argv[2]
if (specArgument) main(JSON.parse(specArgument) as WatchdogSpec)
