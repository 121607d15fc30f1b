// The images under test and the podman runs that exercise them. Every container runs the way
// a Pod Security "restricted" pod does — read-only root filesystem with /tmp as the only
// writable path, no capabilities, no privilege escalation — under the image's own user, on
// the host network so it reaches the harness's loopback services.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { logFile, repoRoot, supervise, uniqueId } from '@helpdesk/harness'

const run = promisify(execFile)

export type ImageName = 'api' | 'web' | 'operator'

/** Marks the containers a test run starts, with the pid of that run. */
const OWNER_LABEL = 'dev.helpdesk.images-test'

export function projectVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
  return (manifest as { version: string }).version
}

/** The published name (CONTRIBUTING.md, "Images"). */
export function imageRef(name: ImageName): string {
  return `ghcr.io/helpdesk/${name}:${projectVersion()}`
}

export async function podman(args: string[], timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run('podman', args, { maxBuffer: 64 << 20, timeout: timeoutMs })
    return stdout
  } catch (error) {
    const { stderr } = error as { stderr?: string }
    throw new Error(
      `podman ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`,
    )
  }
}

/** The image's reference; a clear failure when `make images` has not built it. */
export async function requireImage(name: ImageName): Promise<string> {
  const ref = imageRef(name)
  const built = await run('podman', ['image', 'exists', ref]).then(
    () => true,
    () => false,
  )
  if (!built) throw new Error(`${ref} is not built: run \`make images\` (or \`make test-images\`)`)
  return ref
}

export interface RunOptions {
  env?: Record<string, string>
  /** Replaces the image's entrypoint. */
  entrypoint?: string
  args?: string[]
  /** host:container[:options] bind mounts. */
  volumes?: string[]
}

function restrictedRunArguments(name: string, image: string, options: RunOptions): string[] {
  return [
    'run',
    '--name',
    name,
    '--label',
    `${OWNER_LABEL}=${process.pid}`,
    '--network',
    'host',
    '--read-only',
    '--read-only-tmpfs=false',
    '--tmpfs',
    '/tmp:rw,nosuid,nodev,size=64m,mode=1777',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    ...Object.entries(options.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    ...(options.volumes ?? []).flatMap((volume) => ['--volume', volume]),
    ...(options.entrypoint ? ['--entrypoint', options.entrypoint] : []),
    image,
    ...(options.args ?? []),
  ]
}

export interface Completed {
  exitCode: number
  output: string
}

/** Runs a command in the image to its end (`--rm`), with output and exit code. */
export async function runToCompletion(
  image: string,
  options: RunOptions,
  timeoutMs = 120_000,
): Promise<Completed> {
  const name = `helpdesk-images-test-${uniqueId()}`
  const args = restrictedRunArguments(name, image, options)
  args.splice(1, 0, '--rm')
  try {
    const { stdout, stderr } = await run('podman', args, {
      maxBuffer: 64 << 20,
      timeout: timeoutMs,
    })
    return { exitCode: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string }
    if (typeof failed.code !== 'number') throw error
    return { exitCode: failed.code, output: (failed.stdout ?? '') + (failed.stderr ?? '') }
  }
}

export interface Container {
  readonly name: string
  /** False once the container's main process has exited. */
  readonly running: boolean
  /** What the container wrote so far. */
  logs(): string
  /** Real, effective, saved and filesystem UIDs of every process in the container. */
  processUids(): Promise<number[]>
  signal(signal: 'SIGTERM' | 'SIGQUIT' | 'SIGINT'): Promise<void>
  /** The exit code once the container has stopped; fails after `timeoutMs`. */
  exitCode(timeoutMs: number): Promise<number>
  remove(): Promise<void>
}

/**
 * Starts a long-running container. `podman run` stays in the foreground under a harness
 * watchdog: if the test run dies, the watchdog's SIGTERM reaches the container through
 * podman's signal proxy, so nothing is left running.
 */
export async function startContainer(image: string, options: RunOptions = {}): Promise<Container> {
  const name = `helpdesk-images-test-${uniqueId()}`
  const client = supervise({
    name,
    command: 'podman',
    args: restrictedRunArguments(name, image, options),
    log: logFile(name),
  })
  await waitFor(`${name} to start`, async () => {
    if (client.exited) return true
    const state = await podman(['container', 'inspect', '--format', '{{.State.Status}}', name])
    return state.trim() !== 'created'
  })
  if (client.exited) {
    await podman(['rm', '--force', name]).catch(() => undefined)
    throw new Error(`${name} failed to start:\n${client.logTail()}`)
  }
  return {
    name,
    get running() {
      return !client.exited
    },
    logs: () => client.logTail(200),
    processUids: () => processUids(name),
    async signal(signal) {
      await podman(['kill', '--signal', signal, name])
    },
    async exitCode(timeoutMs) {
      const code = await podman(['wait', name], timeoutMs).catch((error: Error) => {
        throw new Error(`${name} did not stop within ${timeoutMs} ms: ${error.message}`)
      })
      return Number(code.trim())
    },
    async remove() {
      await podman(['rm', '--force', '--time', '0', name]).catch(() => undefined)
      await client.stop()
    },
  }
}

async function processUids(name: string): Promise<number[]> {
  const hostPids = (await podman(['top', name, 'hpid'])).trim().split('\n').slice(1).map(Number)
  return hostPids.flatMap((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(status)
    if (!uids) throw new Error(`no Uid line in /proc/${pid}/status`)
    return uids.slice(1).map(Number)
  })
}

/** Containers left by a test run that was killed outright (whose pid is gone). */
export async function removeAbandonedContainers(): Promise<void> {
  const rows = await podman([
    'ps',
    '--all',
    '--filter',
    `label=${OWNER_LABEL}`,
    '--format',
    `{{.Names}} {{index .Labels "${OWNER_LABEL}"}}`,
  ])
  for (const row of rows.trim().split('\n').filter(Boolean)) {
    const [name, owner] = row.split(' ')
    if (name && owner && !isAlive(Number(owner))) {
      await podman(['rm', '--force', '--time', '0', name])
    }
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

/** Polls `check` until it is true; the last error explains a timeout. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      if (await check()) return
    } catch (error) {
      if (error instanceof StoppedError) throw error
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : ''
  throw new Error(`timed out waiting for ${what}${reason}`)
}

/** Polls `url` until it answers `status`; fails at once, with the logs, if the container stops. */
export async function waitForStatus(container: Container, url: string, status: number) {
  let last = 'no answer'
  await waitFor(`${url} to answer ${status}`, async () => {
    if (!container.running) {
      throw new StoppedError(`${container.name} stopped:\n${container.logs()}`)
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
    last = `${response.status} ${await response.text()}`
    return response.status === status
  }).catch((error: Error) => {
    throw new Error(`${error.message}\nlast answer: ${last}\n${container.logs()}`)
  })
}

class StoppedError extends Error {}

/** The image's root filesystem, mounted read-only on the host for inspection. */
export async function withImageFilesystem<T>(
  image: string,
  inspect: (root: string) => T | Promise<T>,
): Promise<T> {
  const root = (await podman(['image', 'mount', image])).trim()
  try {
    return await inspect(root)
  } finally {
    await podman(['image', 'unmount', image])
  }
}

export interface ImageConfig {
  User: string
  Entrypoint: string[] | null
  Cmd: string[] | null
  Env: string[]
  Labels: Record<string, string> | null
  StopSignal?: string
}

export async function imageConfig(image: string): Promise<ImageConfig> {
  return JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', image]))
}
