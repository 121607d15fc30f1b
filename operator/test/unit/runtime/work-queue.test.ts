import { describe, expect, it, jest } from '@jest/globals'
import { backoffDelay } from '../../../src/runtime/backoff.ts'
import { WorkQueue } from '../../../src/runtime/work-queue.ts'

const backoff = { baseMs: 10, maxMs: 80 }

describe('WorkQueue', () => {
  it('hands out a key added many times only once', async () => {
    const queue = new WorkQueue(backoff)
    queue.add('ns/a')
    queue.add('ns/b')
    queue.add('ns/a')
    expect(queue.depth).toBe(2)
    expect(await queue.get()).toBe('ns/a')
    expect(await queue.get()).toBe('ns/b')
    expect(queue.depth).toBe(0)
  })

  it('never gives a key to a second worker while the first processes it', async () => {
    const queue = new WorkQueue(backoff)
    queue.add('ns/a')
    const first = await queue.get()
    queue.add('ns/a')
    expect(queue.depth).toBe(0)
    let second: string | undefined
    void queue.get().then((key) => {
      second = key
    })
    await Promise.resolve()
    expect(second).toBeUndefined()
    queue.done(first as string)
    await Promise.resolve()
    expect(second).toBe('ns/a')
    queue.shutDown()
  })

  it('delivers a delayed key after the delay, keeping the earliest of two', async () => {
    // The queue's clock and timers are jest's: no figure here depends on the machine's load.
    jest.useFakeTimers()
    try {
      const queue = new WorkQueue(backoff)
      queue.addAfter('ns/a', 200)
      queue.addAfter('ns/a', 30)
      jest.advanceTimersByTime(29)
      expect(queue.depth).toBe(0)
      jest.advanceTimersByTime(1)
      expect(queue.depth).toBe(1)
      expect(await queue.get()).toBe('ns/a')
      queue.done('ns/a')
      // The later time was replaced, not kept beside the earlier one.
      jest.advanceTimersByTime(200)
      expect(queue.depth).toBe(0)
      queue.shutDown()
    } finally {
      jest.useRealTimers()
    }
  })

  it('backs off exponentially per key until forgotten', () => {
    const queue = new WorkQueue(backoff)
    expect([1, 2, 3, 4, 5].map(() => queue.addRateLimited('ns/a'))).toEqual([10, 20, 40, 80, 80])
    expect(queue.addRateLimited('ns/b')).toBe(10)
    queue.forget('ns/a')
    expect(queue.addRateLimited('ns/a')).toBe(10)
    queue.shutDown()
  })

  it('releases waiting workers on shutdown and accepts no new keys', async () => {
    const queue = new WorkQueue(backoff)
    const waiting = queue.get()
    queue.shutDown()
    expect(await waiting).toBeUndefined()
    queue.add('ns/a')
    expect(await queue.get()).toBeUndefined()
  })

  it('reports its depth on every change', async () => {
    const depths: number[] = []
    const queue = new WorkQueue(backoff, (depth) => depths.push(depth))
    queue.add('ns/a')
    queue.add('ns/b')
    await queue.get()
    expect(depths).toEqual([1, 2, 1])
  })
})

describe('backoffDelay', () => {
  it('doubles from the base and stays at the cap, even after very many failures', () => {
    expect(backoffDelay(1, backoff)).toBe(10)
    expect(backoffDelay(3, backoff)).toBe(40)
    expect(backoffDelay(5000, backoff)).toBe(80)
  })
})
