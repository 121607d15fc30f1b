// A customer's search is decided on public text only, for every query form the parser accepts:
// two tickets with the same public text, one of them with an internal note, must match (or
// not) together for any query — words, negations, phrases, OR — in lists, counts and every sort.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { ApiClient } from '../support/accounts.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp
let customer: ApiClient
let agent: ApiClient
let twins: [string, string]

const unique = () => crypto.randomUUID().replace(/-/g, '').slice(0, 10)
/** Words of the public text (both twins), of the note (one twin), and of neither. */
const publicWords = ['kangaroo', 'wallaby', `pub${unique()}`]
const noteWords = ['platypus', 'echidna', `note${unique()}`]
const otherWords = ['wombat', `none${unique()}`]

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment(), {
    rateLimits: { global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' } },
  })
  customer = await signIn(api, await createTestUser(api, { role: 'customer' }))
  agent = await signIn(api, await createTestUser(api, { role: 'agent' }))
  const file = async () => {
    const answer = await customer.post('/tickets', {
      subject: `${publicWords[0]} in the garden`,
      body: `A ${publicWords[1]} and a ${publicWords[2]} visited.`,
    })
    expect(answer.status).toBe(201)
    return (answer.body as { id: string }).id
  }
  twins = [await file(), await file()]
  const note = await agent.post(`/tickets/${twins[1]}/messages`, {
    body: `Internal: the ${noteWords.join(' and the ')} are ours.`,
    internal: true,
  })
  expect(note.status).toBe(201)
})
afterAll(() => api.close())

const word = fc.constantFrom(...publicWords, ...noteWords, ...otherWords)
/** The forms websearch_to_tsquery accepts: words, "phrases", -negations, OR. */
const term = fc.oneof(
  word,
  word.map((w) => `-${w}`),
  word.map((w) => `!${w}`),
  fc.array(word, { minLength: 2, maxLength: 3 }).map((ws) => `"${ws.join(' ')}"`),
  fc.array(word, { minLength: 2, maxLength: 3 }).map((ws) => `-"${ws.join(' ')}"`),
)
const query = fc.array(term, { minLength: 1, maxLength: 4 }).chain((terms) =>
  fc
    .array(fc.constantFrom(' ', ' or ', ' OR '), {
      minLength: terms.length - 1,
      maxLength: terms.length - 1,
    })
    .map((joins) =>
      terms.map((t, index) => (index === 0 ? t : `${joins[index - 1]}${t}`)).join(''),
    ),
)

async function matchedTwins(client: ApiClient, q: string, sort?: string) {
  const params = new URLSearchParams({ q, limit: '100', ...(sort ? { sort } : {}) })
  const answer = await client.get(`/tickets?${params}`)
  expect(answer.status).toBe(200)
  const ids = new Set((answer.body as { items: { id: string }[] }).items.map((item) => item.id))
  return twins.map((id) => ids.has(id))
}

describe('a customer’s search sees public text only', () => {
  it('matches both twins or neither, whatever the query', async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom(undefined, 'created', 'updated'), async (q, sort) => {
        const [plain, noted] = await matchedTwins(customer, q, sort)
        expect({ q, sort, noted }).toEqual({ q, sort, noted: plain })
        const count = await customer.get(`/tickets/count?${new URLSearchParams({ q })}`)
        expect(count.status).toBe(200)
        expect({ q, count: (count.body as { count: number }).count }).toEqual({
          q,
          count: plain ? 2 : 0,
        })
      }),
      { numRuns: 120, seed: 14 },
    )
  })

  it('the reported examples: a negated note word changes nothing for the customer', async () => {
    for (const q of ['-platypus', '-"the platypus"', 'kangaroo -echidna']) {
      expect({ q, matched: await matchedTwins(customer, q) }).toEqual({ q, matched: [true, true] })
    }
    expect(await matchedTwins(customer, 'platypus')).toEqual([false, false])
  })

  it('staff search the notes too', async () => {
    expect(await matchedTwins(agent, 'platypus')).toEqual([false, true])
    expect(await matchedTwins(agent, '-platypus')).toEqual([true, false])
  })
})
