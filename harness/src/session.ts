import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { processIdentity } from './proc.ts'
import { supervise } from './process.ts'

const ROOT_ENV = 'HELPDESK_TEST_ROOT'
const ROOT_PREFIX = 'helpdesk-test-'
/** Names the process that created a session root. */
const OWNER_FILE = '.owner'

let root: string | undefined

/**
 * The directory that holds every service directory and log of this test run. A watchdog
 * removes it when the process that created it ends, however it ends. Worker processes
 * inherit it through HELPDESK_TEST_ROOT.
 */
export function sessionRoot(): string {
  root ??= process.env[ROOT_ENV] ?? createSessionRoot()
  return root
}

function createSessionRoot(): string {
  reapAbandonedRoots()
  const dir = mkdtempSync(path.join(tmpdir(), ROOT_PREFIX))
  writeFileSync(path.join(dir, OWNER_FILE), processIdentity(process.pid) ?? '')
  // Services that run as another user (Postgres) need to traverse it.
  chmodSync(dir, 0o711)
  mkdirSync(path.join(dir, 'logs'), { mode: 0o777 })
  chmodSync(path.join(dir, 'logs'), 0o777)
  supervise({ name: 'session janitor', dir })
  process.env[ROOT_ENV] = dir
  return dir
}

/**
 * Removes the session roots of runs that died together with their janitor (every process
 * killed at once, an OOM kill, a reset machine): their owner is gone. A root without an owner
 * file is still being created, or not ours, and stays. Returns what was removed.
 */
export function reapAbandonedRoots(parent = tmpdir()): string[] {
  const reaped: string[] = []
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(ROOT_PREFIX)) continue
    const dir = path.join(parent, entry)
    let owner: string
    try {
      owner = readFileSync(path.join(dir, OWNER_FILE), 'utf8')
    } catch {
      continue
    }
    if (processIdentity(Number(owner.split(':')[0])) === owner) continue
    try {
      rmSync(dir, { recursive: true, force: true })
      reaped.push(dir)
    } catch {
      // Something still writes there: the next run tries again.
    }
  }
  return reaped
}

/** A fresh directory inside the session root, optionally owned by `owner`. */
export function serviceDir(name: string, owner?: ServiceUser): string {
  const dir = mkdtempSync(path.join(sessionRoot(), `${name}-`))
  if (owner) chownSync(dir, owner.uid, owner.gid)
  return dir
}

/** Where a service's output goes; kept until the session ends so failures can be read. */
export function logFile(name: string): string {
  return path.join(sessionRoot(), 'logs', `${name}-${uniqueId()}.log`)
}

export function uniqueId(bytes = 4): string {
  return randomBytes(bytes).toString('hex')
}

export function randomSecret(): string {
  return randomBytes(18).toString('base64url')
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('could not allocate a port'))
      })
    })
  })
}

export interface ServiceUser {
  name: string
  uid: number
  gid: number
}

/**
 * Postgres refuses to run as root. When the tests run as root (CI), services that need it
 * run as the `postgres` system user (or `nobody`); otherwise as the current user.
 */
export function unprivilegedUser(): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string, name: string) =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim())
  for (const name of ['postgres', 'nobody']) {
    try {
      return { name, uid: id('-u', name), gid: id('-g', name) }
    } catch {
      // No such user: try the next candidate.
    }
  }
  throw new Error('running as root, but neither a postgres nor a nobody user exists')
}

/** `command args` as `user` (unchanged when no switch is needed). */
export function runAs(
  user: ServiceUser | undefined,
  command: string,
  args: string[],
): { command: string; args: string[] } {
  if (!user) return { command, args }
  return {
    command: 'setpriv',
    args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', command, ...args],
  }
}
