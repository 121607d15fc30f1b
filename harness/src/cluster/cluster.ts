// A real single-node Kubernetes for tests: etcd, kube-apiserver, controller-manager and
// scheduler; containerd with runc on a private CNI bridge; the kubelet and kube-proxy
// (nftables); CoreDNS, the local-path provisioner, metrics-server and kube-router's
// NetworkPolicy firewall. Images come from the local container store (buildah/podman) and are
// imported into containerd: nothing is ever pulled. One cluster runs on a host at a time, under
// CLUSTER_DIR, and a janitor tears it down (teardown.ts) however the test run ends.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { KubernetesInfo } from '../kubernetes.ts'
import { supervise } from '../process.ts'
import { ADDON_IMAGES, applyAddons, kubectl, startKubeRouter, waitForAddons } from './addons.ts'
import { run } from './command.ts'
import type { Component } from './component.ts'
import { importImages, startContainerd } from './containerd.ts'
import {
  startApiServer,
  startControllerManager,
  startEtcd,
  startScheduler,
} from './control-plane.ts'
import { hostStateChanges, readHostState } from './host-state.ts'
import {
  CLUSTER_DIR,
  DNS_SERVICE_IP,
  HOST_PATHS,
  NODE_IP,
  NODE_NAME,
  POD_CIDR,
  paths,
  SERVICE_CIDR,
} from './layout.ts'
import { createNetwork } from './network.ts'
import { startKubelet, startKubeProxy } from './node.ts'
import { takeClusterDir } from './ownership.ts'
import { createPki } from './pki.ts'
import { type Baseline, nftTables, teardown } from './teardown.ts'

/** How tests reach the cluster; JSON-safe for test workers. */
export interface ClusterInfo extends KubernetesInfo {
  nodeName: string
  nodeIp: string
  podCidr: string
  serviceCidr: string
  dnsServiceIp: string
}

export interface TestCluster extends ClusterInfo {
  /**
   * Stops every component and removes every trace of the cluster from the host. Resolves the
   * ways the host still differs from before the cluster (none, when all is well).
   */
  stop(): Promise<string[]>
}

export interface ClusterOptions {
  /** Images from the local container store the node gets, besides its add-ons. */
  images?: readonly string[]
  /** How long to wait while another run's cluster holds the host. @default 30 minutes */
  waitMs?: number
  log?: (line: string) => void
}

const teardownScript = fileURLToPath(new URL('./teardown.ts', import.meta.url))

function writeBaseline(): void {
  const baseline: Baseline = {
    hostPaths: HOST_PATHS.filter((hostPath) => existsSync(hostPath)),
    nftTables: nftTables(),
  }
  writeFileSync(paths.baseline, JSON.stringify(baseline))
}

/** Exports the images into one archive for containerd; a missing image fails here, locally. */
async function exportImages(images: readonly string[]): Promise<string> {
  for (const image of images) {
    try {
      await run('podman', ['image', 'exists', image])
    } catch {
      throw new Error(
        `image ${image} is not in the local container store: run \`make cluster-images\``,
      )
    }
  }
  mkdirSync(paths.images, { recursive: true })
  const archive = path.join(paths.images, 'images.tar')
  await run(
    'podman',
    [
      'save',
      '--quiet',
      '--multi-image-archive',
      '--format',
      'docker-archive',
      '--output',
      archive,
      ...images,
    ],
    {
      timeoutMs: 600_000,
    },
  )
  return archive
}

async function waitForNode(kubeconfig: string): Promise<void> {
  const deadline = Date.now() + 180_000
  for (;;) {
    const ready = await kubectl(kubeconfig, [
      'get',
      'node',
      NODE_NAME,
      '--ignore-not-found',
      '--output=jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ])
    if (ready === 'True') return
    if (Date.now() > deadline)
      throw new Error(`node ${NODE_NAME} did not become Ready within 180 s`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function startNode(
  options: ClusterOptions,
  components: Component[],
): Promise<KubernetesInfo> {
  const log = options.log ?? (() => {})
  await run('mount', ['--bind', CLUSTER_DIR, CLUSTER_DIR])
  await run('mount', ['--make-rshared', CLUSTER_DIR])
  for (const dir of [paths.config, paths.logs]) mkdirSync(dir, { recursive: true })
  const [pki] = await Promise.all([createPki(), createNetwork()])
  const archive = exportImages([...Object.values(ADDON_IMAGES), ...(options.images ?? [])])
  archive.catch(() => {}) // Awaited below; a failure must not go unhandled meanwhile.
  const etcd = await startEtcd()
  components.push(etcd.component)
  const { admin, component: apiServer } = await startApiServer(etcd.url, pki)
  components.push(apiServer)
  components.push(
    ...(await Promise.all([
      startControllerManager(pki),
      startScheduler(pki),
      startContainerd(ADDON_IMAGES.pause),
    ])),
  )
  log('control plane up; importing images')
  await importImages(await archive)
  components.push(...(await Promise.all([startKubelet(pki), startKubeProxy(pki)])))
  await waitForNode(admin.kubeconfig)
  log('node Ready; starting add-ons')
  await applyAddons(admin.kubeconfig)
  components.push(await startKubeRouter(pki))
  await waitForAddons(admin.kubeconfig)
  return admin
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  await takeClusterDir(options.waitMs ?? 30 * 60_000, options.log ?? (() => {}))
  const before = readHostState()
  writeBaseline()
  const janitor = supervise({
    name: 'cluster janitor',
    cleanup: { command: process.execPath, args: ['--no-warnings', teardownScript] },
  })
  const components: Component[] = []
  const stop = async () => {
    await janitor.stop()
    await Promise.all(components.map((component) => component.stop()))
    // The janitor's teardown already ran; this one finds nothing unless the janitor was gone.
    teardown()
    return hostStateChanges(before, readHostState())
  }
  try {
    const admin = await startNode(options, components)
    return {
      ...admin,
      nodeName: NODE_NAME,
      nodeIp: NODE_IP,
      podCidr: POD_CIDR,
      serviceCidr: SERVICE_CIDR,
      dnsServiceIp: DNS_SERVICE_IP,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
