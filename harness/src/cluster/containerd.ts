// containerd for the node: every directory and socket under the cluster directory, the CRI
// plugin on our CNI bridge, our own pause image pinned as the sandbox, and a pull "black hole":
// every registry resolves to a closed port on loopback, so an image that was not imported
// fails at once and nothing is ever fetched from outside.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { toolPath } from '../tools.ts'
import { run } from './command.ts'
import { type Component, startComponent } from './component.ts'
import { paths } from './layout.ts'

/** A port nothing listens on: pulls are refused at once. */
const PULL_BLACK_HOLE = 'http://127.0.0.1:9'

function config(sandboxImage: string): string {
  const dir = (name: string) => path.join(paths.containerd, name)
  return `version = 3
root = '${dir('root')}'
state = '${dir('state')}'
temp = '${dir('tmp')}'

[grpc]
  address = '${paths.containerdSocket}'

[ttrpc]
  address = '${paths.containerdSocket}.ttrpc'

[plugins.'io.containerd.internal.v1.opt']
  path = '${dir('opt')}'

[plugins.'io.containerd.nri.v1.nri']
  disable = true

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = '${sandboxImage}'
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = '${dir('certs.d')}'

[plugins.'io.containerd.cri.v1.runtime']
  # This VM refuses any negative oom_score_adj, even for root; the kubelet asks for them.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  enable_cdi = false
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
    runtime_type = 'io.containerd.runc.v2'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
      BinaryName = '/usr/sbin/runc'
      Root = '${dir('runc')}'
      SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ['/usr/lib/cni']
    conf_dir = '${paths.cniConfig}'
    use_internal_loopback = true

[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = '127.0.0.1'
  stream_server_port = '0'
`
}

function blackHole(): string {
  return `server = "${PULL_BLACK_HOLE}"

[host."${PULL_BLACK_HOLE}"]
  capabilities = ["pull", "resolve"]
`
}

export async function startContainerd(sandboxImage: string): Promise<Component> {
  const certs = path.join(paths.containerd, 'certs.d', '_default')
  mkdirSync(certs, { recursive: true })
  writeFileSync(path.join(certs, 'hosts.toml'), blackHole())
  const configFile = path.join(paths.config, 'containerd.toml')
  writeFileSync(configFile, config(sandboxImage))
  const binDir = path.dirname(toolPath('containerd'))
  return startComponent({
    name: 'containerd',
    command: toolPath('containerd'),
    args: ['--config', configFile, '--log-level', 'warn'],
    // containerd starts its shim from PATH; runc comes from Debian.
    env: { ...process.env, PATH: `${binDir}:/usr/sbin:/usr/bin:/sbin:/bin` },
    ready: async () => {
      await ctr(['version'])
      return true
    },
  })
}

/** ctr against the node's containerd, in the namespace the kubelet uses. */
export function ctr(args: string[]): Promise<string> {
  return run(
    toolPath('ctr'),
    ['--address', paths.containerdSocket, '--namespace', 'k8s.io', ...args],
    {
      timeoutMs: 600_000,
    },
  )
}

/** Makes images from a docker-archive available to the kubelet, unpacked for overlayfs. */
export async function importImages(archive: string): Promise<void> {
  await ctr(['images', 'import', '--snapshotter', 'overlayfs', archive])
}
