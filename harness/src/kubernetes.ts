import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import path from 'node:path'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import { freePort, logFile, randomSecret, serviceDir, uniqueId } from './session.ts'
import { toolPath } from './tools.ts'

/** How to reach the API server as cluster admin; JSON-safe for test workers. */
export interface KubernetesInfo {
  /** https://127.0.0.1:<port> */
  server: string
  /** Bearer token of a user in system:masters. */
  token: string
  /** PEM of the serving certificate's CA. */
  ca: string
  /** Path of a kubeconfig file for the admin user (helm, kubectl, client-node). */
  kubeconfig: string
}

export interface KubernetesCluster extends KubernetesInfo {
  etcd: ManagedService
  apiServer: ManagedService
  /** Creates a namespace with a unique name (and labels) and returns the name. */
  createNamespace(prefix?: string, labels?: Record<string, string>): Promise<string>
  /** Stops both processes and removes their data. */
  stop(): Promise<void>
}

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'

/**
 * A real control plane without nodes: etcd and kube-apiserver (RBAC on, Pod Security
 * admission on, service-account token signing) on 127.0.0.1. What envtest provides.
 */
export async function startKubernetes(): Promise<KubernetesCluster> {
  const etcd = await startEtcd()
  try {
    const { apiServer, info } = await startApiServer(etcd.url)
    return {
      ...info,
      etcd: etcd.service,
      apiServer,
      createNamespace: (prefix, labels) => createNamespace(info, prefix, labels),
      async stop() {
        await apiServer.stop()
        await etcd.service.stop()
      },
    }
  } catch (error) {
    await etcd.service.stop()
    throw error
  }
}

async function startEtcd(): Promise<{ url: string; service: ManagedService }> {
  const dir = serviceDir('etcd')
  const clientUrl = `http://127.0.0.1:${await freePort()}`
  const peerUrl = `http://127.0.0.1:${await freePort()}`
  const service = await manage('etcd', dir, async () => {
    const child = supervise({
      name: 'etcd',
      command: toolPath('etcd'),
      args: [
        `--data-dir=${path.join(dir, 'data')}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      log: logFile('etcd'),
    })
    await waitUntilReady(child, async () => {
      const response = await fetch(`${clientUrl}/health`)
      return response.ok && ((await response.json()) as { health: string }).health === 'true'
    })
    return child
  })
  return { url: clientUrl, service }
}

async function startApiServer(
  etcdUrl: string,
): Promise<{ apiServer: ManagedService; info: KubernetesInfo }> {
  const dir = serviceDir('kube-apiserver')
  const port = await freePort()
  const token = randomSecret()
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const files = {
    signingKey: path.join(dir, 'sa.key'),
    verifyKey: path.join(dir, 'sa.pub'),
    tokens: path.join(dir, 'tokens.csv'),
    certDir: path.join(dir, 'certs'),
    kubeconfig: path.join(dir, 'kubeconfig'),
  }
  writeFileSync(files.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  writeFileSync(files.verifyKey, publicKey.export({ type: 'spki', format: 'pem' }))
  writeFileSync(files.tokens, `${token},harness-admin,harness-admin,"system:masters"\n`)
  const server = `https://127.0.0.1:${port}`
  // Chosen once: a restarted API server must find the objects stored before the restart.
  const etcdPrefix = `/registry-${uniqueId()}`
  const apiServer = await manage('kube-apiserver', dir, async () => {
    const child = supervise({
      name: 'kube-apiserver',
      command: toolPath('kube-apiserver'),
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--etcd-prefix=${etcdPrefix}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${files.certDir}`,
        `--token-auth-file=${files.tokens}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
        `--service-account-key-file=${files.verifyKey}`,
        `--service-account-signing-key-file=${files.signingKey}`,
        `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--allow-privileged=false',
        '--profiling=false',
        '--v=0',
      ],
      log: logFile('kube-apiserver'),
      graceMs: 5_000,
    })
    await waitUntilReady(
      child,
      async () => (await kubeRequest({ server, token }, 'GET', '/readyz')).status === 200,
      { timeoutMs: 120_000, intervalMs: 250 },
    )
    return child
  })
  const ca = readFileSync(path.join(files.certDir, 'apiserver.crt'), 'utf8')
  const info: KubernetesInfo = { server, token, ca, kubeconfig: files.kubeconfig }
  writeFileSync(files.kubeconfig, kubeconfigFor(info))
  return { apiServer, info }
}

/** A kubeconfig (JSON is YAML) for the given server and bearer token. */
export function kubeconfigFor(
  cluster: Pick<KubernetesInfo, 'server' | 'ca' | 'token'>,
  namespace = 'default',
): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'harness',
          cluster: {
            server: cluster.server,
            'certificate-authority-data': Buffer.from(cluster.ca).toString('base64'),
          },
        },
      ],
      users: [{ name: 'harness', user: { token: cluster.token } }],
      contexts: [{ name: 'harness', context: { cluster: 'harness', user: 'harness', namespace } }],
      'current-context': 'harness',
    },
    null,
    2,
  )
}

export interface KubeResponse {
  status: number
  body: unknown
}

/**
 * One JSON request to the API server. Without `ca` the serving certificate is not
 * verified: only used to poll readiness before the certificate has been read.
 */
export function kubeRequest(
  cluster: Pick<KubernetesInfo, 'server' | 'token'> & { ca?: string },
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<KubeResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, cluster.server)
    const req = request(
      url,
      {
        method,
        ca: cluster.ca,
        rejectUnauthorized: cluster.ca !== undefined,
        headers: {
          authorization: `Bearer ${cluster.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        timeout: 10_000,
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () => {
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // Not JSON (readyz answers "ok").
          }
          resolve({ status: response.statusCode ?? 0, body: parsed })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)))
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

export async function createNamespace(
  cluster: KubernetesInfo,
  prefix = 'test',
  labels: Record<string, string> = {},
): Promise<string> {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${uniqueId()}`
  const response = await kubeRequest(cluster, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels },
  })
  if (response.status !== 201) {
    throw new Error(`creating namespace ${name} failed: ${JSON.stringify(response.body)}`)
  }
  return name
}
