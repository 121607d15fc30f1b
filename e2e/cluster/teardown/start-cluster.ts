// A test run that starts a cluster with a pod holding a volume, prints one JSON line, then
// waits to be killed: teardown.test.ts kills it the ways a real run dies.
import { execFileSync } from 'node:child_process'
import { startCluster, toolPath } from '@helpdesk/harness'

const cluster = await startCluster()
const kubectl = (args: string[], input?: string) =>
  execFileSync(toolPath('kubectl'), [`--kubeconfig=${cluster.kubeconfig}`, ...args], {
    input,
    encoding: 'utf8',
  })
kubectl(
  ['apply', '-f', '-'],
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: 'default' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sleeper', namespace: 'default' },
        spec: {
          containers: [
            {
              name: 'sleeper',
              image: 'localhost/helpdesk/cluster/busybox:1',
              imagePullPolicy: 'Never',
              command: ['sh', '-c', 'echo up >/data/up; sleep 3600'],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        },
      },
    ],
  }),
)
kubectl(['wait', 'pod/sleeper', '--namespace=default', '--for=condition=Ready', '--timeout=300s'])
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`)
setInterval(() => {}, 60_000)
