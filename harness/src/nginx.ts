import { chownSync, existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import { freePort, logFile, runAs, serviceDir, unprivilegedUser } from './session.ts'
import { toolPath } from './tools.ts'

export interface NginxConfigContext {
  /** The port the server must `listen` on. */
  port: number
  /** The writable prefix (`nginx -p`): relative paths in the config resolve against it. */
  prefix: string
}

export interface NginxOptions {
  /** @default a free port */
  port?: number
}

export interface NginxServer extends ManagedService {
  port: number
  /** http://127.0.0.1:port */
  url: string
  /** The `-p` prefix: the config, pid file and temp directories. */
  prefix: string
  /** The access and error log so far, for assertions and failure messages. */
  logTail(lines?: number): string
}

/**
 * Debian's nginx in the foreground, unprivileged (as the service user when the tests run as
 * root), with a temporary prefix for its pid and temp files. `config` renders the complete
 * nginx.conf for the port and prefix it is given.
 */
export async function startNginx(
  config: (context: NginxConfigContext) => string | Promise<string>,
  options: NginxOptions = {},
): Promise<NginxServer> {
  const user = unprivilegedUser()
  const dir = serviceDir('nginx', user)
  const port = options.port ?? (await freePort())
  const configFile = path.join(dir, 'nginx.conf')
  writeFileSync(configFile, await config({ port, prefix: `${dir}/` }), { mode: 0o644 })
  const log = logFile('nginx')
  // nginx reopens /dev/stdout for its access log, which needs write permission on the file
  // behind it: create the log up front, owned by the user nginx runs as.
  writeFileSync(log, '', { mode: 0o644 })
  if (user) chownSync(log, user.uid, user.gid)
  const url = `http://127.0.0.1:${port}`
  let current: ReturnType<typeof supervise> | undefined
  const service = await manage('nginx', dir, async () => {
    const { command, args } = runAs(user, nginxBinary(), [
      '-p',
      `${dir}/`,
      '-c',
      configFile,
      '-e',
      'stderr',
      '-g',
      'daemon off;',
    ])
    current = supervise({ name: 'nginx', command, args, log })
    await waitUntilReady(current, () => answers(url))
    return current
  })
  return { ...service, port, url, prefix: dir, logTail: (lines) => current?.logTail(lines) ?? '' }
}

/** Any HTTP answer means nginx is accepting connections with its configuration loaded. */
async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1000) })
  await response.body?.cancel()
  return true
}

/** Debian installs nginx in /usr/sbin, which is often missing from a non-root PATH. */
function nginxBinary(): string {
  const debian = '/usr/sbin/nginx'
  return existsSync(debian) ? debian : toolPath('nginx')
}
