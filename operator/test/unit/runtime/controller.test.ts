import { describe, expect, it } from '@jest/globals'
import { pino } from 'pino'
import { Controller, type ReconcileFunction } from '../../../src/runtime/controller.ts'
import { OperatorMetrics } from '../../../src/runtime/metrics.ts'

const logger = pino({ level: 'silent' })
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function controller(reconcile: ReconcileFunction, concurrency = 2) {
  const metrics = new OperatorMetrics()
  const instance = new Controller({
    name: 'test',
    reconcile,
    concurrency,
    backoff: { baseMs: 20, maxMs: 200 },
    metrics,
    logger,
  })
  instance.start()
  return { instance, metrics }
}

describe('Controller', () => {
  it('runs at most `concurrency` reconciles at once, never two of one key', async () => {
    let inFlight = 0
    let most = 0
    const running = new Set<string>()
    const overlapping: string[] = []
    const { instance } = controller(async (key) => {
      if (running.has(key)) overlapping.push(key)
      running.add(key)
      inFlight += 1
      most = Math.max(most, inFlight)
      await pause(20)
      inFlight -= 1
      running.delete(key)
      return undefined
    }, 3)
    for (let round = 0; round < 3; round++) {
      for (let key = 0; key < 10; key++) instance.enqueue(`ns/k${key}`)
      await pause(5)
    }
    await pause(300)
    await instance.stop()
    expect(most).toBe(3)
    expect(overlapping).toEqual([])
  })

  it('retries a failing key with growing delays, counting errors, until it succeeds', async () => {
    const attempts: number[] = []
    const { instance, metrics } = controller(async () => {
      attempts.push(Date.now())
      if (attempts.length < 4) throw new Error('not yet')
      return undefined
    })
    instance.enqueue('ns/flaky')
    await pause(400)
    await instance.stop()
    expect(attempts).toHaveLength(4)
    const gaps = attempts.slice(1).map((time, index) => time - (attempts[index] as number))
    expect(gaps[1] as number).toBeGreaterThan((gaps[0] as number) * 1.5)
    expect((await metrics.reconcileErrors.get()).values[0]?.value).toBe(3)
  })

  it('comes back to a key after the delay a reconcile asks for', async () => {
    const times: number[] = []
    const { instance } = controller(async () => {
      times.push(Date.now())
      return times.length === 1 ? { requeueAfterMs: 100 } : undefined
    })
    instance.enqueue('ns/later')
    await pause(250)
    await instance.stop()
    expect(times).toHaveLength(2)
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(95)
  })

  it('lets a reconcile in flight finish when stopped', async () => {
    let finished = false
    const { instance } = controller(async () => {
      await pause(100)
      finished = true
      return undefined
    })
    instance.enqueue('ns/slow')
    await pause(10)
    await instance.stop()
    expect(finished).toBe(true)
  })
})
