// Holding Helpdesks back: spec.paused, a pinned operator version, and an operator upgrade
// that re-renders one Helpdesk per interval instead of every instance at once. The
// operators run under the chart's RBAC against the real API server, on a manual clock.

import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually, field } from './support/kube.ts'
import { ManualClock } from './support/manual-clock.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf } from './support/play.ts'

const admin = adminClient()
const HOUR = 3_600_000
let namespace: string

const helpdeskRef = (name: string) => ({
  apiVersion: 'helpdesk.dev/v1alpha1',
  kind: 'Helpdesk',
  namespace,
  name,
})

const configMap = (name: string) =>
  admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: `${name}-api` })

const logLevel = async (name: string) => field<string>(await configMap(name), 'data', 'LOG_LEVEL')

const operatorVersion = async (name: string) =>
  field<string>(await admin.get(helpdeskRef(name)), 'status', 'operatorVersion')

async function createHelpdesk(name: string, spec: Record<string, unknown> = {}) {
  await admin.create({
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name, namespace },
    spec: { host: `${name}.example`, ...spec },
  })
}

beforeAll(async () => {
  await installCrds()
  namespace = await testServices.kubernetes().createNamespace('upgrades')
}, 60_000)

afterAll(() => {
  admin.close()
})

describe('holding a Helpdesk back', () => {
  let operator: Operator

  beforeAll(async () => {
    operator = await startTestOperator({ namespaces: [namespace], leaseName: 'hold' })
  }, 60_000)

  afterAll(async () => {
    await operator?.stop()
  })

  it('spec.paused leaves the objects as they are until it is cleared', async () => {
    await createHelpdesk('paused')
    await eventually('the API ConfigMap', async () => (await logLevel('paused')) === 'info')
    await admin.patch(helpdeskRef('paused'), 'merge', {
      spec: { paused: true, api: { logLevel: 'debug' } },
    })
    const held = await conditionOf(admin, helpdeskRef('paused'), 'Progressing', {
      status: 'False',
      reason: 'Paused',
    })
    expect(held.status).toMatchObject({ observedGeneration: 2 })
    expect(await logLevel('paused')).toBe('info')
    await admin.patch(helpdeskRef('paused'), 'merge', { spec: { paused: false } })
    await eventually('the edit applied', async () => (await logLevel('paused')) === 'debug')
  })

  it('spec.operatorVersion pins another operator: this one applies nothing', async () => {
    await createHelpdesk('pinned', { operatorVersion: '9.9.9' })
    const held = await conditionOf(admin, helpdeskRef('pinned'), 'Progressing', {
      status: 'False',
      reason: 'OperatorVersionPinned',
    })
    expect(held.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toContain(
      'pins operator 9.9.9',
    )
    expect(await configMap('pinned')).toBeUndefined()
    expect(await operatorVersion('pinned')).toBeUndefined()
  })
})

describe('an operator upgrade', () => {
  const fleet = ['one', 'two', 'three']

  // A namespace of its own: the Helpdesks above would queue for the same upgrade slots.
  beforeAll(async () => {
    namespace = await testServices.kubernetes().createNamespace('upgrade-fleet')
  }, 60_000)

  it('re-renders one Helpdesk per interval; status says which version applied each', async () => {
    const clock = new ManualClock(new Date())
    // A long lease: a leadership term that ends under load would start a new upgrade slot.
    const leaseDurationMs = 120_000
    const old = await startTestOperator({
      namespaces: [namespace],
      leaseName: 'upgrade',
      leaseDurationMs,
      version: '0.1.0',
      clock,
    })
    try {
      for (const name of fleet) await createHelpdesk(name)
      for (const name of fleet) {
        await eventually(`${name} applied by 0.1.0`, async () =>
          (await operatorVersion(name)) === '0.1.0' ? true : undefined,
        )
      }
    } finally {
      await old.stop()
    }
    const upgraded = await startTestOperator({
      namespaces: [namespace],
      leaseName: 'upgrade',
      leaseDurationMs,
      version: '0.2.0',
      upgradeIntervalMs: HOUR,
      clock,
    })
    try {
      const versions = async () =>
        Promise.all(fleet.map(async (name) => (await operatorVersion(name)) ?? ''))
      const queued = async () => {
        let count = 0
        for (const name of fleet) {
          const live = (await admin.get(helpdeskRef(name))) as KubeObject
          const progressing = (
            live.status as { conditions?: { type: string; reason: string }[] } | undefined
          )?.conditions?.find((condition) => condition.type === 'Progressing')
          if (progressing?.reason === 'UpgradeQueued') count += 1
        }
        return count
      }
      await eventually('one upgraded, two queued', async () => {
        const now = await versions()
        return now.filter((version) => version === '0.2.0').length === 1 && (await queued()) === 2
          ? now
          : undefined
      })
      clock.advance(HOUR)
      upgraded.resync()
      await eventually('a second one upgraded an interval later', async () => {
        const now = await versions()
        return now.filter((version) => version === '0.2.0').length === 2 ? now : undefined
      })
      // A spec edit is the user's request: it applies at once, whatever the queue says.
      const last = (await versions()).indexOf('0.1.0')
      const name = fleet[last] as string
      await admin.patch(helpdeskRef(name), 'merge', { spec: { api: { logLevel: 'warn' } } })
      await eventually('the edited one applied at once', async () =>
        (await logLevel(name)) === 'warn' && (await operatorVersion(name)) === '0.2.0'
          ? true
          : undefined,
      )
    } finally {
      await upgraded.stop()
    }
  }, 90_000)
})
