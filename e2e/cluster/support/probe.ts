// Pods that try something from inside the cluster (a DNS lookup, a TCP connection, an HTTPS
// request) and report what happened as JSON. They run Node from our API image, under the
// "restricted" Pod Security profile, with whatever labels a NetworkPolicy test needs. A probe
// pod is used only once the node's policy enforcer (kube-router) has programmed its rules:
// a pod's first packets can otherwise be refused by the enforcer's start-up lag, not by policy.
import { execFileSync } from 'node:child_process'
import { eventually, kubectl } from './cluster.ts'
import { PRODUCT_IMAGES } from './images.ts'

export interface ProbeOptions {
  namespace: string
  labels?: Record<string, string>
}

export interface ProbePod {
  /** Runs `script` (an async function body; its return value is the result) in the pod. */
  run<T>(script: string): Promise<T>
  /** 'open', or the error code of a TCP connection to host:port. */
  tcp(host: string, port: number): Promise<string>
  /** The addresses a name resolves to, or the resolver's error code. */
  dns(name: string): Promise<string[] | string>
  delete(): Promise<void>
}

let probes = 0

/** kube-router has chains for the pod once its rules are in place. */
function programmed(namespace: string, pod: string): boolean {
  const rules = execFileSync('iptables-save', { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return rules.includes(`name:${pod} namespace: ${namespace}`)
}

export async function startProbe(options: ProbeOptions): Promise<ProbePod> {
  const name = `probe-${process.pid}-${++probes}`
  const { namespace } = options
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'helpdesk.dev/probe': 'true', ...options.labels } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'probe',
          image: PRODUCT_IMAGES.api,
          imagePullPolicy: 'Never',
          command: ['node', '-e', 'setInterval(() => {}, 3600_000)'],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            readOnlyRootFilesystem: true,
          },
        },
      ],
    },
  }
  await kubectl(['apply', '-f', '-'], JSON.stringify(pod))
  await kubectl([
    'wait',
    `pod/${name}`,
    `--namespace=${namespace}`,
    '--for=condition=Ready',
    '--timeout=300s',
  ])
  await eventually(`the NetworkPolicy rules of ${namespace}/${name}`, async () =>
    programmed(namespace, name) ? true : undefined,
  )
  const run = async <T>(script: string): Promise<T> => {
    const program = `(async () => { ${script} })().then((result) => console.log(JSON.stringify({ result })), (error) => { console.log(JSON.stringify({ error: String(error && error.code || error) })); process.exitCode = 1 })`
    const output = await kubectl([
      'exec',
      name,
      `--namespace=${namespace}`,
      '--',
      'node',
      '-e',
      program,
    ]).catch((error: Error) => error.message)
    const last = output.trim().split('\n').at(-1) ?? '{}'
    const answer = JSON.parse(last.slice(last.indexOf('{'))) as { result?: T; error?: string }
    if (answer.error !== undefined) throw new Error(`probe failed: ${answer.error}`)
    return answer.result as T
  }
  return {
    run,
    tcp: (host, port) =>
      run<string>(
        `const net = require('node:net')
         return await new Promise((resolve) => {
           const socket = net.connect({ host: ${JSON.stringify(host)}, port: ${port}, timeout: 5000 })
           socket.on('connect', () => { socket.destroy(); resolve('open') })
           socket.on('timeout', () => { socket.destroy(); resolve('ETIMEDOUT') })
           socket.on('error', (error) => resolve(error.code || String(error)))
         })`,
      ),
    dns: (host) =>
      run<string[] | string>(
        `const dns = require('node:dns').promises
         try { return (await dns.lookup(${JSON.stringify(host)}, { all: true })).map((entry) => entry.address) }
         catch (error) { return error.code }`,
      ),
    delete: async () => {
      await kubectl(['delete', 'pod', name, `--namespace=${namespace}`, '--wait=false'])
    },
  }
}

/** A probe for the duration of `use`. */
export async function withProbe<T>(
  options: ProbeOptions,
  use: (probe: ProbePod) => Promise<T>,
): Promise<T> {
  const probe = await startProbe(options)
  try {
    return await use(probe)
  } finally {
    await probe.delete()
  }
}
