// The session cache's rules on their own, over the memory store and a revocation feed the
// test drives (session-revocation.test.ts runs it between two API processes over Redis).
import { describe, expect, it } from '@jest/globals'
import { CachedSessionStore, type RevocationFeed } from '../src/sessions/cache.ts'
import { MemorySessionStore } from '../src/sessions/memory-store.ts'
import type { Revocation } from '../src/sessions/redis-store.ts'
import { type Session, type SessionStore, sessionKey } from '../src/sessions/store.ts'

function setup(ttlMs = 5_000) {
  let now = Date.now()
  let live = true
  const revoked: ((revocation: Revocation) => void)[] = []
  const interrupted: (() => void)[] = []
  const feed: RevocationFeed = {
    live: () => live,
    onRevoked: (listener) => revoked.push(listener),
    onInterrupted: (listener) => interrupted.push(listener),
  }
  const inner = new MemorySessionStore({ now: () => now })
  let reads = 0
  /** While set, reads wait for it: a read in flight, as over the network. */
  let held: Promise<void> | undefined
  const counting: SessionStore = {
    create: (input) => inner.create(input),
    get: async (id) => {
      reads++
      const answer = await inner.get(id)
      await held
      return answer
    },
    destroy: (id) => inner.destroy(id),
    destroyForUser: (userId, options) => inner.destroyForUser(userId, options),
    actorChanged: (userId) => inner.actorChanged(userId),
  }
  return {
    inner,
    cache: new CachedSessionStore(counting, feed, { ttlMs, now: () => now }),
    reads: () => reads,
    /** Holds reads until the returned function is called. */
    holdReads: () => {
      let release = () => {}
      held = new Promise((resolve) => {
        release = resolve
      })
      return () => {
        held = undefined
        release()
      }
    },
    advance: (ms: number) => {
      now += ms
    },
    /** What another process's revocation looks like here: the record gone, the message heard. */
    revokeElsewhere: async (session: Session) => {
      await inner.destroy(session.id)
      for (const listener of revoked) listener({ keys: [sessionKey(session.id)] })
    },
    /** Another process announcing that a user's actor changed. */
    actorChangedElsewhere: (userId?: string) => {
      for (const listener of revoked) {
        listener(userId === undefined ? { everyone: true } : { userId })
      }
    },
    setLive: (value: boolean) => {
      live = value
      if (!value) for (const listener of interrupted) listener()
    },
  }
}

describe('cached session store', () => {
  it('serves a copy for its time to live, then reads the store again', async () => {
    const { cache, reads, advance } = setup()
    const session = await cache.create({ userId: 'u1' })
    expect(await cache.get(session.id)).toEqual(session)
    expect(await cache.get(session.id)).toEqual(session)
    expect(reads()).toBe(1)
    advance(5_000)
    expect(await cache.get(session.id)).toEqual(session)
    expect(reads()).toBe(2)
  })

  it('reads past its copy when asked for a fresh one, and keeps what it read', async () => {
    const { cache, reads } = setup()
    const session = await cache.create({ userId: 'u1' })
    const copy = await cache.get(session.id)
    const fresh = await cache.get(session.id, { fresh: true })
    expect(fresh).toEqual(session)
    expect(fresh).not.toBe(copy)
    expect(await cache.get(session.id)).toBe(fresh)
    expect(reads()).toBe(2)
  })

  it('drops a copy when a revocation is heard', async () => {
    const { cache, revokeElsewhere } = setup()
    const session = await cache.create({ userId: 'u1' })
    await cache.get(session.id)
    await revokeElsewhere(session)
    expect(await cache.get(session.id)).toBeNull()
  })

  it('does not keep a read whose answer arrives after a revocation was heard', async () => {
    const { cache, inner, revokeElsewhere, reads, holdReads } = setup()
    const session = await inner.create({ userId: 'u1' })
    const other = await inner.create({ userId: 'u2' })
    const release = holdReads()
    const reading = cache.get(session.id)
    // Any revocation while the read is in flight (even of another session) voids the copy.
    await revokeElsewhere(other)
    release()
    expect(await reading).toEqual(session)
    await cache.get(session.id)
    expect(reads()).toBe(2)
  })

  it('serves no copy while revocations may be missed, and forgets them all', async () => {
    const { cache, reads, setLive } = setup()
    const session = await cache.create({ userId: 'u1' })
    await cache.get(session.id)
    setLive(false)
    await cache.get(session.id)
    await cache.get(session.id)
    expect(reads()).toBe(3)
    setLive(true)
    await cache.get(session.id)
    await cache.get(session.id)
    expect(reads()).toBe(4)
  })

  it('ends its own copies at once on destroy and destroyForUser (keep honoured)', async () => {
    const { cache } = setup()
    const [a, b, c] = [
      await cache.create({ userId: 'u1' }),
      await cache.create({ userId: 'u1' }),
      await cache.create({ userId: 'u1' }),
    ] as [Session, Session, Session]
    for (const session of [a, b, c]) await cache.get(session.id)
    await cache.destroy(a.id)
    expect(await cache.get(a.id)).toBeNull()
    expect(await cache.destroyForUser('u1', { keep: c.id })).toBe(1)
    expect(await cache.get(b.id)).toBeNull()
    expect(await cache.get(c.id)).toEqual(c)
  })

  it('reads again the sessions of a user whose actor changed, or everyone’s', async () => {
    const { cache, reads, actorChangedElsewhere } = setup()
    const [mine, theirs] = [
      await cache.create({ userId: 'u1' }),
      await cache.create({ userId: 'u2' }),
    ]
    const copy = await cache.get(mine.id)
    await cache.get(theirs.id)
    actorChangedElsewhere('u1')
    // A new object: the authenticator keeps the actor beside the object, so it is made again.
    expect(await cache.get(mine.id)).not.toBe(copy)
    await cache.get(theirs.id)
    expect(reads()).toBe(3)
    actorChangedElsewhere()
    await cache.get(mine.id)
    await cache.get(theirs.id)
    expect(reads()).toBe(5)
    await cache.actorChanged('u2')
    await cache.get(theirs.id)
    expect(reads()).toBe(6)
  })

  it('never serves a copy past the session’s own expiry', async () => {
    const { cache, advance } = setup(60 * 60 * 1000)
    const session = await cache.create({ userId: 'u1', ttlSeconds: 2 })
    await cache.get(session.id)
    advance(2_000)
    expect(await cache.get(session.id)).toBeNull()
  })
})
