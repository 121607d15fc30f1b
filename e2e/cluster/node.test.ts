// The node itself, before any Helpdesk: Ready, its add-ons serving, cluster DNS that answers
// cluster names only, volumes from the default StorageClass, and pods that can never reach
// anything off the machine.
import { connect } from 'node:net'
import { startOutside } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  cluster,
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlJson,
  serviceIp,
} from './support/cluster.ts'
import { type ProbePod, startProbe } from './support/probe.ts'

let namespace: string
let probe: ProbePod

beforeAll(async () => {
  namespace = await createNamespace('node')
  probe = await startProbe({ namespace })
})

afterAll(async () => {
  await probe?.delete()
  if (namespace) await deleteNamespace(namespace)
})

describe('the test node', () => {
  it('is Ready with its system pods running', async () => {
    const node = await kubectlJson<{ status: { conditions: { type: string; status: string }[] } }>([
      'get',
      'node',
      cluster().nodeName,
    ])
    expect(node.status.conditions.find((condition) => condition.type === 'Ready')?.status).toBe(
      'True',
    )
    const system = await kubectlJson<{
      items: { metadata: { name: string }; status: { phase: string } }[]
    }>(['get', 'pods', '--namespace=kube-system'])
    expect(system.items.map((pod) => pod.status.phase)).toEqual(system.items.map(() => 'Running'))
  })

  it('resolves cluster names and nothing else', async () => {
    expect(await probe.dns('kubernetes.default.svc.cluster.local')).toEqual([
      await serviceIp('default', 'kubernetes'),
    ])
    // No forwarding: a public name is not sent to any resolver, in or outside the machine.
    expect(await probe.dns('example.com')).toMatch(/^(ENOTFOUND|EAI_AGAIN|ESERVFAIL|EREFUSED)$/)
  })

  it('reaches the API server through the kubernetes Service', async () => {
    const status = await probe.run<number>(
      `const https = require('node:https')
       return await new Promise((resolve, reject) => {
         https.get({ host: 'kubernetes.default.svc', path: '/livez', rejectUnauthorized: false }, (response) => {
           response.resume(); resolve(response.statusCode)
         }).on('error', reject)
       })`,
    )
    // Anonymous requests are refused: what matters is that the answer came from the API server.
    expect([200, 401, 403]).toContain(status)
  })

  it('binds a volume from the default StorageClass', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
      }),
    )
    // WaitForFirstConsumer: a pod that writes to it binds it.
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'writer', namespace },
        spec: {
          restartPolicy: 'Never',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'writer',
              image: 'localhost/helpdesk/cluster/busybox:1',
              imagePullPolicy: 'Never',
              command: ['sh', '-c', 'echo persisted >/data/file && cat /data/file'],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        },
      }),
    )
    const phase = await eventually('the writer pod to finish', async () => {
      const value = await kubectl([
        'get',
        'pod',
        'writer',
        `--namespace=${namespace}`,
        '--output=jsonpath={.status.phase}',
      ])
      return value === 'Succeeded' || value === 'Failed' ? value : undefined
    })
    expect(phase).toBe('Succeeded')
    expect((await kubectl(['logs', 'writer', `--namespace=${namespace}`])).trim()).toBe('persisted')
    expect(
      await kubectl([
        'get',
        'pvc',
        'data',
        `--namespace=${namespace}`,
        '--output=jsonpath={.status.phase}',
      ]),
    ).toBe('Bound')
  })

  it('drops what a pod sends off the machine', async () => {
    // A listener the host reaches by an ordinary route: without the node's filter a pod's
    // packet would be forwarded to it like one bound for the internet.
    const outside = await startOutside()
    try {
      expect(await hostTcp(outside.address, outside.port)).toBe('open')
      const before = await dropCounter()
      expect(await probe.tcp(outside.address, outside.port)).not.toBe('open')
      expect(await dropCounter()).toBeGreaterThan(before)
    } finally {
      await outside.stop()
    }
  })
})

function hostTcp(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5000 })
    socket.on('connect', () => {
      socket.destroy()
      resolve('open')
    })
    socket.on('timeout', () => {
      socket.destroy()
      resolve('ETIMEDOUT')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)))
  })
}

/** Packets the node's own filter dropped on their way from the bridge to another interface. */
async function dropCounter(): Promise<number> {
  const { execFileSync } = await import('node:child_process')
  const table = execFileSync('nft', ['list', 'table', 'ip', 'helpdesk-cluster'], {
    encoding: 'utf8',
  })
  return Number(/counter packets (\d+)/.exec(table)?.[1] ?? Number.NaN)
}
