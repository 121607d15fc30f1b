// The complete Helpdesk of README.md ("A complete Helpdesk"), applied as written and
// reconciled to Ready by an operator under the chart's RBAC: the documentation works.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually } from './support/kube.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf, markRolledOut } from './support/play.ts'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const MARKER = '<!-- example: complete-helpdesk -->'

/** The YAML block right after the marker. */
function example(): KubeObject[] {
  const text = readFileSync(README, 'utf8')
  const after = text.slice(text.indexOf(MARKER) + MARKER.length)
  const block = /```yaml\n([\s\S]*?)```/.exec(after)?.[1]
  if (!block) throw new Error(`README.md has no yaml block after ${MARKER}`)
  return parseAllDocuments(block).map((document) => document.toJS() as KubeObject)
}

const admin = adminClient()
let namespace: string
let operator: Operator

beforeAll(async () => {
  await installCrds()
  // A namespace of its own in the shared test cluster, in place of the example's `support`.
  namespace = await testServices.kubernetes().createNamespace('readme')
  operator = await startTestOperator({ namespaces: [namespace], leaseName: 'readme-example' })
}, 60_000)

afterAll(async () => {
  await operator?.stop()
  admin.close()
})

describe('the README’s complete Helpdesk', () => {
  it('applies as written and becomes Ready', async () => {
    const objects = example()
    expect(objects.map((object) => object.kind)).toEqual(['Secret', 'Secret', 'Helpdesk'])
    for (const object of objects) {
      await admin.apply({ ...object, metadata: { ...object.metadata, namespace } })
    }
    const reference = {
      apiVersion: 'helpdesk.dev/v1alpha1',
      kind: 'Helpdesk',
      namespace,
      name: 'acme',
    }
    const workloads = ['acme-api', 'acme-web'].map((name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name,
    }))
    const statefulSets = ['acme-postgres', 'acme-redis', 'acme-minio'].map((name) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      namespace,
      name,
    }))
    for (const workload of [...workloads, ...statefulSets]) {
      await eventually(`${workload.name} created`, async () => admin.get(workload))
      await markRolledOut(admin, workload)
    }
    const ready = await conditionOf(admin, reference, 'Ready', { status: 'True', reason: 'Ready' })
    expect(ready.status).toMatchObject({
      url: 'https://help.acme.example',
      operatorVersion: expect.any(String),
    })
    const backups = ready.status?.conditions?.find((c) => c.type === 'BackupHealthy')
    expect(backups).toMatchObject({ status: 'True', reason: 'FirstBackupPending' })
  }, 120_000)
})
