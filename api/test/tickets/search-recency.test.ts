// Recency blocks: the windows a search walks cover every ticket once, newest first; the
// database writes the blocks the code expects; and a search over tickets spread across every
// level finds exactly the newest 1,000 matches to rank.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import pg from 'pg'
import { blocksOf, recencyWindows } from '../../src/tickets/recency-blocks.ts'
import { type ApiClient, createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

const LARGEST_TICKET_NUMBER = 2 ** 31 - 1

/** The ticket numbers a window's block holds, from its tsquery text. */
function rangeOf(window: string) {
  const match = /^'recent (\d) (\d+)'$/.exec(window)
  if (!match) throw new Error(`not a window: ${window}`)
  const size = 2 ** (12 + 3 * Number(match[1]))
  const first = Number(match[2]) * size
  return { first, last: first + size - 1 }
}

describe('recency windows', () => {
  it('hold every ticket number up to the newest exactly once, newest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LARGEST_TICKET_NUMBER }), (newest) => {
        const ranges = recencyWindows(newest).map(rangeOf)
        expect(ranges[0]?.first).toBeLessThanOrEqual(newest)
        expect(ranges[0]?.last).toBeGreaterThanOrEqual(newest)
        expect(ranges.at(-1)?.first).toBe(0)
        for (const [index, range] of ranges.slice(1).entries()) {
          expect(range.last).toBe((ranges[index] as typeof range).first - 1)
        }
        // At most 8 blocks a level below the top one (2^24 numbers wide).
        expect(ranges.length).toBeLessThanOrEqual(4 * 8 + Math.ceil((newest + 1) / 2 ** 24))
      }),
    )
  })

  it('are blocks that the tickets in them hold', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: LARGEST_TICKET_NUMBER })
          .chain((newest) => fc.tuple(fc.constant(newest), fc.integer({ min: 0, max: newest }))),
        ([newest, number]) => {
          const held = new Set(blocksOf(number).map((lexeme) => `'${lexeme}'`))
          const windows = recencyWindows(newest).filter((window) => held.has(window))
          expect(windows).toHaveLength(1)
          const range = rangeOf(windows[0] as string)
          expect(number).toBeGreaterThanOrEqual(range.first)
          expect(number).toBeLessThanOrEqual(range.last)
        },
      ),
    )
  })
})

describe('searching tickets spread over every block level', () => {
  const WORD = 'quokka'
  /** 1,003 matches, numbers 1 to 40,160,161 and sparser towards the newest: every level. */
  const numbers = Array.from({ length: 1003 }, (_, index) => 1 + 40 * index ** 2)

  let api: TestApp
  let pool: pg.Pool
  let agent: ApiClient

  beforeAll(async () => {
    const environment = await externalEnvironment()
    api = await startTestApp(environment, {
      rateLimits: { global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' } },
    })
    pool = new pg.Pool({ connectionString: environment.DATABASE_URL, max: 2 })
    const agentUser = await createTestUser(api, { role: 'agent' })
    const requester = await createTestUser(api, { role: 'customer' })
    agent = await signIn(api, agentUser)
    // Numbers given outright: a real helpdesk takes years to reach the higher blocks. The
    // oldest three mention the word twice and would rank first if they were candidates.
    await pool.query(
      `insert into tickets (number, subject, requester_id) overriding system value
       select n, case when n < $3 then $1 || ' ' || $1 else $1 || ' ticket' end, $2
       from unnest($4::int[]) n`,
      [WORD, requester.id, numbers[3], numbers],
    )
  })

  afterAll(async () => {
    await pool?.end()
    await api?.close()
  })

  it('stores the blocks the code names with each ticket', async () => {
    const { rows } = await pool.query<{ number: number; blocks: string[] }>(
      `select number, array(select lexeme from unnest(search) where lexeme like 'recent %'
         order by lexeme) as blocks
       from tickets where number = any($1::int[])`,
      [[0, 3, 10, 30, 100, 1002].map((index) => numbers[index])],
    )
    expect(rows).toHaveLength(6)
    for (const row of rows) expect(row.blocks).toEqual(blocksOf(row.number).sort())
  })

  it('ranks exactly the newest 1,000 matches', async () => {
    const found: number[] = []
    let cursor: string | null = null
    do {
      const path: string = `/tickets?q=${WORD}&limit=100${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await agent.get(path)).body as {
        items: { number: number }[]
        nextCursor: string | null
      }
      found.push(...page.items.map((ticket) => ticket.number))
      cursor = page.nextCursor
    } while (cursor)
    expect(found.sort((a, b) => a - b)).toEqual(numbers.slice(3))
  })
})
