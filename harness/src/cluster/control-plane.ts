// The control plane of the test node: etcd, kube-apiserver (on the node's IP, with the
// aggregation layer for metrics-server and Node authorization for the kubelet),
// kube-controller-manager and kube-scheduler. Only loopback and the private bridge are used,
// and no component ever looks a name up: the API server reaches the kubelet by its InternalIP.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { type KubernetesInfo, kubeconfigFor, kubeRequest } from '../kubernetes.ts'
import { freePort, randomSecret } from '../session.ts'
import { toolPath } from '../tools.ts'
import { type Component, startComponent } from './component.ts'
import { NODE_IP, POD_CIDR, PORTS, paths, SERVICE_CIDR } from './layout.ts'
import { type ClusterPki, certificateKubeconfig, type KeyPair } from './pki.ts'

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'

export interface ControlPlane {
  admin: KubernetesInfo
  components: Component[]
}

export async function startEtcd(): Promise<{ url: string; component: Component }> {
  const clientUrl = `http://127.0.0.1:${await freePort()}`
  const peerUrl = `http://127.0.0.1:${await freePort()}`
  const component = await startComponent({
    name: 'cluster-etcd',
    command: toolPath('etcd'),
    args: [
      `--data-dir=${paths.etcd}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    ready: async () => {
      const response = await fetch(`${clientUrl}/health`)
      return response.ok && ((await response.json()) as { health: string }).health === 'true'
    },
  })
  return { url: clientUrl, component }
}

export async function startApiServer(
  etcdUrl: string,
  pki: ClusterPki,
): Promise<{ admin: KubernetesInfo; component: Component }> {
  const token = randomSecret()
  const tokens = path.join(paths.pki, 'tokens.csv')
  writeFileSync(tokens, `${token},helpdesk-admin,helpdesk-admin,"system:masters"\n`, {
    mode: 0o600,
  })
  const server = `https://${NODE_IP}:${PORTS.apiServer}`
  const component = await startComponent({
    name: 'cluster-apiserver',
    command: toolPath('kube-apiserver'),
    args: [
      `--etcd-servers=${etcdUrl}`,
      `--bind-address=${NODE_IP}`,
      `--advertise-address=${NODE_IP}`,
      `--secure-port=${PORTS.apiServer}`,
      `--tls-cert-file=${pki.apiServer.cert}`,
      `--tls-private-key-file=${pki.apiServer.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      `--token-auth-file=${tokens}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${pki.serviceAccount.cert}`,
      `--service-account-signing-key-file=${pki.serviceAccount.key}`,
      `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--allow-privileged=true',
      `--kubelet-client-certificate=${pki.apiServerKubeletClient.cert}`,
      `--kubelet-client-key=${pki.apiServerKubeletClient.key}`,
      `--kubelet-certificate-authority=${pki.ca.cert}`,
      // By name, `kubectl logs/exec` would look the node up through the host's resolver.
      '--kubelet-preferred-address-types=InternalIP',
      // The aggregation layer: metrics-server serves metrics.k8s.io behind it.
      `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
      `--proxy-client-key-file=${pki.frontProxyClient.key}`,
      '--enable-aggregator-routing=true',
      '--profiling=false',
      '--v=0',
    ],
    ready: async () => (await kubeRequest({ server, token }, 'GET', '/readyz')).status === 200,
  })
  const ca = readFileSync(pki.ca.cert, 'utf8')
  const kubeconfig = path.join(paths.config, 'admin.kubeconfig')
  const admin: KubernetesInfo = { server, token, ca, kubeconfig }
  writeFileSync(kubeconfig, kubeconfigFor(admin), { mode: 0o600 })
  return { admin, component }
}

/** A kubeconfig file for a component that authenticates with its client certificate. */
export function componentKubeconfig(name: string, pki: ClusterPki, client: KeyPair): string {
  mkdirSync(paths.config, { recursive: true })
  const file = path.join(paths.config, `${name}.kubeconfig`)
  writeFileSync(
    file,
    certificateKubeconfig(`https://${NODE_IP}:${PORTS.apiServer}`, pki.ca.cert, client),
    {
      mode: 0o600,
    },
  )
  return file
}

async function healthy(port: number): Promise<boolean> {
  // Self-signed serving certificates: only the answer matters here.
  const { request } = await import('node:https')
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000 },
      (response) => {
        response.resume()
        resolve(response.statusCode === 200)
      },
    )
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

export async function startControllerManager(pki: ClusterPki): Promise<Component> {
  const kubeconfig = componentKubeconfig('controller-manager', pki, pki.controllerManager)
  const port = await freePort()
  return startComponent({
    name: 'cluster-controller-manager',
    command: toolPath('kube-controller-manager'),
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccount.key}`,
      `--root-ca-file=${pki.ca.cert}`,
      `--cluster-signing-cert-file=${pki.ca.cert}`,
      `--cluster-signing-key-file=${pki.ca.key}`,
      `--cluster-cidr=${POD_CIDR}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--allocate-node-cidrs=false',
      '--leader-elect=false',
      // Else it creates /usr/libexec/kubernetes on the host.
      `--flex-volume-plugin-dir=${path.join(paths.config, 'flexvolume')}`,
      '--profiling=false',
      '--v=0',
    ],
    ready: () => healthy(port),
  })
}

export async function startScheduler(pki: ClusterPki): Promise<Component> {
  const kubeconfig = componentKubeconfig('scheduler', pki, pki.scheduler)
  const port = await freePort()
  return startComponent({
    name: 'cluster-scheduler',
    command: toolPath('kube-scheduler'),
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      '--leader-elect=false',
      '--profiling=false',
      '--v=0',
    ],
    ready: () => healthy(port),
  })
}
