import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { WatchdogSpec } from './watchdog.ts'

const watchdogScript = fileURLToPath(new URL('./watchdog.ts', import.meta.url))

/** A process supervised by a watchdog: it and its directory never outlive the test run. */
export interface SupervisedProcess {
  readonly name: string
  /** True once the supervised process (or the watchdog) has exited. */
  readonly exited: boolean
  /** Stops the process, waits for it, and removes its directory. Safe to call twice. */
  stop(): Promise<void>
  /** SIGSTOPs the process tree: the service hangs, as a wedged dependency would. */
  freeze(): Promise<void>
  thaw(): Promise<void>
  /** The last lines the process wrote, for error messages. */
  logTail(lines?: number): string
}

export interface SuperviseOptions extends Omit<WatchdogSpec, 'parent'> {
  name: string
}

export function supervise(options: SuperviseOptions): SupervisedProcess {
  const { name, ...spec } = options
  const watchdog = spawn(
    process.execPath,
    ['--no-warnings', watchdogScript, JSON.stringify({ ...spec, parent: process.pid })],
    { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
  )
  // Neither the process nor its channel may keep a finished test run alive.
  watchdog.unref()
  watchdog.channel?.unref()
  const request = (message: 'freeze' | 'thaw') =>
    new Promise<void>((resolve, reject) => {
      watchdog.channel?.ref()
      const answered = (reply: unknown) => {
        if (reply !== message) return
        watchdog.off('message', answered)
        watchdog.channel?.unref()
        resolve()
      }
      watchdog.on('message', answered)
      watchdog.send(message, (error) => error && reject(error))
    })
  let exited = false
  const exit = new Promise<void>((resolve) => {
    const done = () => {
      exited = true
      resolve()
    }
    watchdog.on('exit', done)
    watchdog.on('error', done)
  })
  return {
    name,
    get exited() {
      return exited
    },
    async stop() {
      if (!exited) {
        // Keep the event loop alive until the watchdog reports the service gone.
        watchdog.ref()
        watchdog.kill('SIGTERM')
      }
      await exit
    },
    freeze: () => request('freeze'),
    thaw: () => request('thaw'),
    logTail(lines = 30) {
      if (!spec.log || !existsSync(spec.log)) return ''
      return readFileSync(spec.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    },
  }
}

export interface WaitOptions {
  timeoutMs?: number
  intervalMs?: number
}

/**
 * Polls `check` until it resolves truthy. Fails early, with the service's log, when the
 * supervised process exits, and with the last check error on timeout.
 */
export async function waitUntilReady(
  service: SupervisedProcess,
  check: () => Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 100 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    if (service.exited) {
      throw new Error(`${service.name} exited during start-up:\n${service.logTail()}`)
    }
    try {
      if (await check()) return
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  const log = service.logTail()
  await service.stop()
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
  throw new Error(`${service.name} did not become ready within ${timeoutMs} ms${reason}:\n${log}`)
}

/** A server process with data that outlives restarts of the process but not the test. */
export interface ManagedService {
  /** Stops the process and removes its data. Final; safe to call twice. */
  stop(): Promise<void>
  /** Stops the process, keeping its data and port, until `up()`. */
  down(): Promise<void>
  up(): Promise<void>
  restart(): Promise<void>
  /** The service stops answering (SIGSTOP) without closing its connections. */
  freeze(): Promise<void>
  thaw(): Promise<void>
}

/** Runs `start` now and on every `up()`; removes `dir` on `stop()` or when the run ends. */
export async function manage(
  name: string,
  dir: string,
  start: () => Promise<SupervisedProcess>,
): Promise<ManagedService> {
  const janitor = supervise({ name: `${name} data`, dir })
  let current: SupervisedProcess | undefined
  try {
    current = await start()
  } catch (error) {
    await janitor.stop()
    throw error
  }
  const down = async () => {
    await current?.stop()
    current = undefined
  }
  const up = async () => {
    current ??= await start()
  }
  return {
    down,
    up,
    async restart() {
      await down()
      await up()
    },
    freeze: async () => current?.freeze(),
    thaw: async () => current?.thaw(),
    async stop() {
      await down()
      await janitor.stop()
    },
  }
}
