// Where a test cluster lives and which addresses it owns. Fixed, not random: only one cluster
// runs on a host at a time, and a run must find (and remove) what a killed run left behind.
import { tmpdir } from 'node:os'
import path from 'node:path'

/** Every file, socket, mount and volume of the cluster is under this directory. */
export const CLUSTER_DIR = path.join(tmpdir(), 'helpdesk-cluster')

/** The private bridge: the node's IP, and every pod's interface, are on it and nowhere else. */
export const BRIDGE = 'helpdesk0'
export const NODE_NAME = 'helpdesk-node'
export const NODE_IP = '10.213.0.1'
/** Pods get addresses from here (the node's own address is the first). */
export const POD_CIDR = '10.213.0.0/24'
export const SERVICE_CIDR = '10.213.1.0/24'
/** The `kubernetes` Service: the first address of the service range. */
export const KUBERNETES_SERVICE_IP = '10.213.1.1'
export const DNS_SERVICE_IP = '10.213.1.10'
export const CLUSTER_DOMAIN = 'cluster.local'
/** Both ranges: what a teardown clears from conntrack, and what pods may talk to. */
export const CLUSTER_RANGE = '10.213.0.0/23'

/** Fixed ports on the node IP (the bridge is private, so they cannot collide with the host's). */
export const PORTS = { apiServer: 6443, kubelet: 10250 } as const

/** The packet filter table of our own: pods can never reach anything off the bridge. */
export const NFT_TABLE = 'helpdesk-cluster'
/**
 * The stand-in for an address off the machine (outside.ts): TEST-NET-2, which no real network
 * routes, in a namespace of its own behind a veth.
 */
export const OUTSIDE = {
  namespace: 'helpdesk-outside',
  hostLink: 'helpdesk-out0',
  peerLink: 'helpdesk-out1',
  hostAddress: '198.51.100.1',
  address: '198.51.100.7',
  prefix: 24,
  port: 443,
} as const
/** Parent of every cgroup the kubelet creates, in each hierarchy. */
export const CGROUP_ROOT = '/helpdesk-cluster'

/** Paths inside CLUSTER_DIR. */
export const paths = {
  owner: path.join(CLUSTER_DIR, '.owner'),
  /** What the host looked like before this cluster (host-state.ts), read by the teardown. */
  baseline: path.join(CLUSTER_DIR, 'baseline.json'),
  pki: path.join(CLUSTER_DIR, 'pki'),
  etcd: path.join(CLUSTER_DIR, 'etcd'),
  config: path.join(CLUSTER_DIR, 'config'),
  containerd: path.join(CLUSTER_DIR, 'containerd'),
  containerdSocket: path.join(CLUSTER_DIR, 'containerd', 'containerd.sock'),
  cniConfig: path.join(CLUSTER_DIR, 'cni', 'net.d'),
  cniState: path.join(CLUSTER_DIR, 'cni', 'ipam'),
  kubelet: path.join(CLUSTER_DIR, 'kubelet'),
  podLogs: path.join(CLUSTER_DIR, 'pod-logs'),
  volumes: path.join(CLUSTER_DIR, 'local-path'),
  images: path.join(CLUSTER_DIR, 'images'),
  logs: path.join(CLUSTER_DIR, 'logs'),
}

/**
 * Host paths that the node's components create outside every directory they are given (the
 * kubelet's device plugins and container log links, containerd's shim sockets, the
 * controller-manager's and kubelet's plugin directories). The teardown removes those that did
 * not exist before the cluster started.
 */
export const HOST_PATHS = [
  '/var/lib/kubelet',
  '/var/log/containers',
  '/var/log/pods',
  '/run/containerd',
  '/var/run/nri',
  '/opt/containerd',
  '/var/lib/containerd',
  '/etc/containerd',
  '/etc/cni',
  '/opt/cni',
  '/var/lib/cni',
  '/usr/libexec/kubernetes',
  '/etc/kubernetes',
  '/var/lib/kube-router',
  '/var/lib/kube-proxy',
  // `ip netns add` (outside.ts) makes this directory and mounts it onto itself.
  '/run/netns',
]

/** Chains and sets that the kubelet, kube-proxy and kube-router make in the host's tables. */
export const RULE_PREFIXES = ['KUBE-', 'kube-']
