// The node: the kubelet and kube-proxy on the host, beside containerd.
//
// The kubelet retunes three kernel settings at start (vm.overcommit_memory, kernel.panic,
// kernel.panic_on_oops) and refuses to run when told not to. It runs in a mount namespace of
// its own in which those three /proc/sys files are covered by private files that already hold
// the values it wants, so the host's settings never change. The cluster directory is a shared
// mount, so the volumes the kubelet mounts there are seen by containerd in the host's namespace.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { freePort } from '../session.ts'
import { toolPath } from '../tools.ts'
import { type Component, startComponent } from './component.ts'
import { componentKubeconfig } from './control-plane.ts'
import {
  CGROUP_ROOT,
  CLUSTER_DOMAIN,
  DNS_SERVICE_IP,
  NODE_IP,
  NODE_NAME,
  POD_CIDR,
  PORTS,
  paths,
} from './layout.ts'
import type { ClusterPki } from './pki.ts'

/** The values the kubelet insists on, by /proc/sys path. */
const KUBELET_SYSCTLS = {
  'vm/overcommit_memory': '1',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
}

async function healthz(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(2_000),
  })
  return response.ok
}

function kubeletConfiguration(pki: ClusterPki, healthzPort: number): object {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NODE_IP,
    port: PORTS.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort,
    tlsCertFile: pki.kubelet.cert,
    tlsPrivateKeyFile: pki.kubelet.key,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: pki.ca.cert },
    },
    authorization: { mode: 'Webhook' },
    // cgroup v1 here, which 1.35 refuses unless told otherwise; no systemd.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: CGROUP_ROOT,
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    clusterDNS: [DNS_SERVICE_IP],
    clusterDomain: CLUSTER_DOMAIN,
    // Pods that use the node's resolver get a loopback one: no name is ever looked up
    // through the host's resolver.
    resolvConf: path.join(paths.config, 'resolv.conf'),
    podLogsDir: paths.podLogs,
    volumePluginDir: path.join(paths.config, 'volume-plugins'),
    failSwapOn: false,
    makeIPTablesUtilChains: false,
    // An image collected here could never be pulled back.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: {
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'memory.available': '200Mi',
    },
    serializeImagePulls: false,
    podCIDR: POD_CIDR,
  }
}

/**
 * The kubelet's cgroup root, in every v1 hierarchy (it refuses to start without them); a new
 * cpuset starts with no CPUs and memory nodes, so it gets its parent's.
 */
function createCgroupRoot(): void {
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const parent = path.join('/sys/fs/cgroup', hierarchy)
    if (hierarchy === 'unified' || !existsSync(path.join(parent, 'cgroup.procs'))) continue
    const dir = path.join(parent, CGROUP_ROOT)
    mkdirSync(dir, { recursive: true })
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      if (existsSync(path.join(dir, file))) {
        writeFileSync(path.join(dir, file), readFileSync(path.join(parent, file)))
      }
    }
  }
}

export async function startKubelet(pki: ClusterPki): Promise<Component> {
  createCgroupRoot()
  mkdirSync(paths.kubelet, { recursive: true })
  mkdirSync(paths.podLogs, { recursive: true })
  writeFileSync(path.join(paths.config, 'resolv.conf'), 'nameserver 127.0.0.1\n')
  const sysctlDir = path.join(paths.config, 'sysctl')
  mkdirSync(sysctlDir, { recursive: true })
  const covers: string[] = []
  for (const [key, value] of Object.entries(KUBELET_SYSCTLS)) {
    const file = path.join(sysctlDir, key.replaceAll('/', '.'))
    writeFileSync(file, `${value}\n`)
    covers.push(`mount --bind '${file}' '/proc/sys/${key}'`)
  }
  const healthzPort = await freePort()
  const configFile = path.join(paths.config, 'kubelet.json')
  writeFileSync(configFile, JSON.stringify(kubeletConfiguration(pki, healthzPort), null, 2))
  const kubeconfig = componentKubeconfig('kubelet', pki, pki.node)
  return startComponent({
    name: 'cluster-kubelet',
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'unchanged',
      '--',
      '/bin/sh',
      '-c',
      `${covers.join(' && ')} && exec "$0" "$@"`,
      toolPath('kubelet'),
      `--config=${configFile}`,
      `--kubeconfig=${kubeconfig}`,
      `--root-dir=${paths.kubelet}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      '--v=0',
    ],
    ready: () => healthz(healthzPort),
  })
}

export async function startKubeProxy(pki: ClusterPki): Promise<Component> {
  const healthzPort = await freePort()
  const metricsPort = await freePort()
  const configFile = path.join(paths.config, 'kube-proxy.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'nftables',
      clientConnection: { kubeconfig: componentKubeconfig('kube-proxy', pki, pki.kubeProxy) },
      hostnameOverride: NODE_NAME,
      bindAddress: NODE_IP,
      healthzBindAddress: `127.0.0.1:${healthzPort}`,
      metricsBindAddress: `127.0.0.1:${metricsPort}`,
      clusterCIDR: POD_CIDR,
      nodePortAddresses: [`${NODE_IP}/32`],
      // Both would retune host sysctls (route_localnet, the conntrack table and timeouts).
      iptables: { localhostNodePorts: false },
      conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    }),
  )
  return startComponent({
    name: 'cluster-kube-proxy',
    command: toolPath('kube-proxy'),
    args: [`--config=${configFile}`, '--v=0'],
    ready: () => healthz(healthzPort),
  })
}
