// The cluster's certificates, made with openssl: one CA for every component, and a second one
// for the aggregation layer's front proxy (metrics-server trusts requests signed by it).
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { run } from './command.ts'
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME, paths } from './layout.ts'

export interface KeyPair {
  cert: string
  key: string
}

export interface ClusterPki {
  ca: KeyPair
  frontProxyCa: KeyPair
  apiServer: KeyPair
  apiServerKubeletClient: KeyPair
  frontProxyClient: KeyPair
  kubelet: KeyPair
  /** Client certificates of the components that talk to the API server, by user name. */
  node: KeyPair
  controllerManager: KeyPair
  scheduler: KeyPair
  kubeProxy: KeyPair
  kubeRouter: KeyPair
  /** Service-account token signing (private) and verification (public) keys. */
  serviceAccount: KeyPair
}

const DAYS = '2'

async function newKey(file: string): Promise<void> {
  await run('openssl', [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    file,
  ])
}

async function selfSignedCa(name: string, subject: string): Promise<KeyPair> {
  const pair = {
    cert: path.join(paths.pki, `${name}.crt`),
    key: path.join(paths.pki, `${name}.key`),
  }
  await newKey(pair.key)
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    pair.key,
    '-out',
    pair.cert,
    '-days',
    DAYS,
    '-subj',
    subject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ])
  return pair
}

interface LeafSpec {
  name: string
  commonName: string
  organization?: string
  usage: 'serverAuth' | 'clientAuth'
  ips?: string[]
  dns?: string[]
}

async function leaf(ca: KeyPair, spec: LeafSpec): Promise<KeyPair> {
  const pair = {
    cert: path.join(paths.pki, `${spec.name}.crt`),
    key: path.join(paths.pki, `${spec.name}.key`),
  }
  const request = path.join(paths.pki, `${spec.name}.csr`)
  const extensions = path.join(paths.pki, `${spec.name}.ext`)
  await newKey(pair.key)
  const subject = `/CN=${spec.commonName}${spec.organization ? `/O=${spec.organization}` : ''}`
  await run('openssl', ['req', '-new', '-key', pair.key, '-out', request, '-subj', subject])
  const names = [
    ...(spec.ips ?? []).map((ip) => `IP:${ip}`),
    ...(spec.dns ?? []).map((dns) => `DNS:${dns}`),
  ]
  writeFileSync(
    extensions,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${spec.usage}`,
      ...(names.length > 0 ? [`subjectAltName=${names.join(',')}`] : []),
    ].join('\n'),
  )
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    request,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    // A random serial each: leaves are signed in parallel, and a shared serial file races.
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-out',
    pair.cert,
    '-days',
    DAYS,
    '-extfile',
    extensions,
  ])
  return pair
}

async function serviceAccountKeys(): Promise<KeyPair> {
  const pair = { key: path.join(paths.pki, 'sa.key'), cert: path.join(paths.pki, 'sa.pub') }
  await newKey(pair.key)
  await run('openssl', ['pkey', '-in', pair.key, '-pubout', '-out', pair.cert])
  return pair
}

/** Creates every certificate and key under CLUSTER_DIR/pki. */
export async function createPki(): Promise<ClusterPki> {
  mkdirSync(paths.pki, { recursive: true, mode: 0o700 })
  const [ca, frontProxyCa] = await Promise.all([
    selfSignedCa('ca', '/CN=helpdesk-cluster-ca'),
    selfSignedCa('front-proxy-ca', '/CN=helpdesk-cluster-front-proxy-ca'),
  ])
  const client = (name: string, commonName: string, organization?: string) =>
    leaf(ca, { name, commonName, organization, usage: 'clientAuth' })
  const kubernetesNames = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc']
  const [
    apiServer,
    apiServerKubeletClient,
    frontProxyClient,
    kubelet,
    node,
    controllerManager,
    scheduler,
    kubeProxy,
    kubeRouter,
    serviceAccount,
  ] = await Promise.all([
    leaf(ca, {
      name: 'apiserver',
      commonName: 'kube-apiserver',
      usage: 'serverAuth',
      ips: [NODE_IP, '127.0.0.1', KUBERNETES_SERVICE_IP],
      dns: [...kubernetesNames, `kubernetes.default.svc.${CLUSTER_DOMAIN}`],
    }),
    client('apiserver-kubelet-client', 'kube-apiserver-kubelet-client', 'system:masters'),
    leaf(frontProxyCa, {
      name: 'front-proxy-client',
      commonName: 'front-proxy-client',
      usage: 'clientAuth',
    }),
    leaf(ca, {
      name: 'kubelet',
      commonName: NODE_NAME,
      usage: 'serverAuth',
      ips: [NODE_IP],
      dns: [NODE_NAME],
    }),
    client('node', `system:node:${NODE_NAME}`, 'system:nodes'),
    client('controller-manager', 'system:kube-controller-manager'),
    client('scheduler', 'system:kube-scheduler'),
    client('kube-proxy', 'system:kube-proxy'),
    client('kube-router', 'helpdesk:kube-router'),
    serviceAccountKeys(),
  ])
  return {
    ca,
    frontProxyCa,
    apiServer,
    apiServerKubeletClient,
    frontProxyClient,
    kubelet,
    node,
    controllerManager,
    scheduler,
    kubeProxy,
    kubeRouter,
    serviceAccount,
  }
}

/** A kubeconfig that authenticates with a client certificate. */
export function certificateKubeconfig(server: string, ca: string, client: KeyPair): string {
  const base64 = (file: string) => readFileSync(file).toString('base64')
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'helpdesk', cluster: { server, 'certificate-authority-data': base64(ca) } }],
    users: [
      {
        name: 'component',
        user: {
          'client-certificate-data': base64(client.cert),
          'client-key-data': base64(client.key),
        },
      },
    ],
    contexts: [{ name: 'helpdesk', context: { cluster: 'helpdesk', user: 'component' } }],
    'current-context': 'helpdesk',
  })
}
