// News goes out only for work that took effect: pure scoping rules over the in-process bus.
import { describe, expect, it } from '@jest/globals'
import pino from 'pino'
import { announce, announcing, announcingIfSucceeds } from '../../src/platform/announcements.ts'
import { MemoryEventBus } from '../../src/platform/event-bus.ts'

const logger = pino({ level: 'silent' })

async function published(work: () => Promise<unknown>): Promise<unknown[]> {
  const bus = new MemoryEventBus()
  await announcing(bus, logger, work).catch(() => {})
  return ((await bus.replay(0)).events ?? []).map((event) => event.payload)
}

describe('announcements', () => {
  it('publishes what a scope announced once it succeeds, and nothing when it throws', async () => {
    expect(await published(async () => announce({ n: 1 }))).toEqual([{ n: 1 }])
    expect(
      await published(async () => {
        announce({ n: 1 })
        throw new Error('rolled back')
      }),
    ).toEqual([])
  })

  it('keeps the news of an inner attempt that succeeds and drops one that throws, in order', async () => {
    const payloads = await published(async () => {
      announce({ n: 1 })
      await announcingIfSucceeds(async () => announce({ n: 2 }))
      await announcingIfSucceeds(async () => {
        announce({ n: 3 })
        throw new Error('this attempt rolled back to its savepoint')
      }).catch(() => {})
      announce({ n: 4 })
    })
    expect(payloads).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }])
  })
})
