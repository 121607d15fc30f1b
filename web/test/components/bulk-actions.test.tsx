/** @jest-environment jsdom */
// Bulk actions in the agent's queue: tickets are selected by keyboard or pointer (one, or all
// shown), the count is announced, one change goes to POST /tickets/bulk, and the answer is
// told in plain words — how many changed, and each ticket that could not be, with why.
import { afterEach, describe, expect, it } from '@jest/globals'
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { bulkChangeOf, describeBulkResult } from '../../src/agent/bulk.ts'
import { QueuePage } from '../../src/agent/QueuePage.tsx'
import type { BulkResult, Ticket } from '../../src/api/types.ts'
import { fakeApi, type Sent } from '../support/fake-api.ts'
import { person, signedIn, TICKET } from '../support/signed-in.tsx'

const shown: Ticket[] = [1, 2, 3].map((number) => ({
  ...TICKET,
  id: `t${number}`,
  number,
  subject: `Printer ${number}`,
}))

describe('describing the answer', () => {
  const result = (outcomes: [string, string, string?][]): BulkResult => ({
    updated: outcomes.filter(([, outcome]) => outcome === 'updated').length,
    unchanged: outcomes.filter(([, outcome]) => outcome === 'unchanged').length,
    failed: outcomes.filter(([, outcome]) => outcome === 'failed').length,
    results: outcomes.map(([ticketId, outcome, type]) => ({
      ticketId,
      outcome: outcome as 'updated',
      ...(type
        ? { error: { type, status: 422, title: 'x', detail: 'a ticket holds at most 30 tags' } }
        : {}),
    })),
  })

  it('counts what changed', () => {
    expect(describeBulkResult(result([['t1', 'updated']]), shown)).toEqual({
      summary: '1 ticket updated.',
      failures: [],
    })
    expect(
      describeBulkResult(
        result([
          ['t1', 'updated'],
          ['t2', 'updated'],
          ['t3', 'unchanged'],
        ]),
        shown,
      ).summary,
    ).toBe('2 tickets updated; 1 already was that way.')
    expect(describeBulkResult(result([['t3', 'unchanged']]), shown).summary).toBe(
      '1 ticket already was that way.',
    )
  })

  it('names each ticket that could not be changed, and why', () => {
    expect(
      describeBulkResult(
        result([
          ['t1', 'updated'],
          ['t2', 'failed', 'not_found'],
          ['t3', 'failed', 'unprocessable'],
        ]),
        shown,
      ),
    ).toEqual({
      summary: '1 ticket updated; 2 could not be:',
      failures: [
        '#2 Printer 2: it no longer exists, or you may not see it.',
        '#3 Printer 3: A ticket holds at most 30 tags.',
      ],
    })
    expect(describeBulkResult(result([['t9', 'failed', 'forbidden']]), shown)).toEqual({
      summary: '1 ticket could not be:',
      failures: ['Ticket t9: you may not change it.'],
    })
  })

  it('makes the change the API takes of what was chosen', () => {
    expect(bulkChangeOf('assign', 'me', 'a1')).toEqual({ assigneeId: 'a1' })
    expect(bulkChangeOf('assign', 'none', 'a1')).toEqual({ assigneeId: null })
    expect(bulkChangeOf('team', 'none', 'a1')).toEqual({ teamId: null })
    expect(bulkChangeOf('addTag', ' vip ', 'a1')).toEqual({ addTags: ['vip'] })
    expect(bulkChangeOf('priority', '', 'a1')).toEqual({ missing: 'Choose a priority.' })
  })
})

describe('QueuePage with a selection', () => {
  let restore = () => {}
  afterEach(() => restore())

  /** The queue of `shown`, and a bulk endpoint answering `answer` to whatever it is sent. */
  function queue(answer: (request: Sent) => BulkResult) {
    const api = fakeApi((request) => {
      const url = new URL(request.path, 'http://localhost')
      if (url.pathname === '/tickets/bulk') return { status: 200, body: answer(request) }
      if (url.pathname === '/tickets/count') return { status: 200, body: { count: 3 } }
      if (url.pathname === '/tickets')
        return { status: 200, body: { items: shown, nextCursor: null } }
      if (url.pathname === '/users') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/saved-views') return { status: 200, body: { items: [] } }
      if (url.pathname === '/teams') return { status: 200, body: { items: [], nextCursor: null } }
      return undefined
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=open')
    signedIn(person('a1', 'agent'), <QueuePage />)
    return api
  }

  const listRequests = (sent: Sent[]) =>
    sent.filter((request) => request.path.startsWith('/tickets?')).length

  it('selects by keyboard, announces the count, applies a priority and reports per ticket', async () => {
    const user = userEvent.setup()
    const api = queue(() => ({
      updated: 1,
      unchanged: 0,
      failed: 1,
      results: [
        { ticketId: 't1', outcome: 'updated' },
        {
          ticketId: 't3',
          outcome: 'failed',
          error: { type: 'not_found', status: 404, title: 'Not found', detail: 'no such ticket' },
        },
      ],
    }))
    const first = await screen.findByRole('checkbox', { name: 'Select #1 Printer 1' })
    first.focus()
    await user.keyboard(' ')
    await user.click(screen.getByRole('checkbox', { name: 'Select #3 Printer 3' }))
    const count = screen.getAllByRole('status').find((region) => region.className === 'bulk-count')
    expect(count?.textContent).toBe('2 tickets selected')

    const form = screen.getByRole('form', { name: 'Change the selected tickets' })
    await user.selectOptions(within(form).getByLabelText('Change'), 'Set priority')
    await user.selectOptions(within(form).getByLabelText('Priority'), 'High')
    const before = listRequests(api.sent)
    await user.click(within(form).getByRole('button', { name: 'Apply to 2 tickets' }))

    expect(await screen.findByText('1 ticket updated; 1 could not be:')).toBeTruthy()
    expect(
      screen.getByText('#3 Printer 3: it no longer exists, or you may not see it.'),
    ).toBeTruthy()
    const bulk = api.sent.find((request) => request.path === '/tickets/bulk')
    expect(bulk?.method).toBe('POST')
    expect(bulk?.body).toEqual({ ticketIds: ['t1', 't3'], change: { priority: 'high' } })
    // The list refreshes, and the selection stays for a next change.
    expect(listRequests(api.sent)).toBeGreaterThan(before)
    expect(count?.textContent).toBe('2 tickets selected')
  })

  it('selects all shown, and assigns them to the agent applying it', async () => {
    const user = userEvent.setup()
    const api = queue((request) => {
      const ids = (request.body as { ticketIds: string[] }).ticketIds
      return {
        updated: ids.length,
        unchanged: 0,
        failed: 0,
        results: ids.map((ticketId) => ({ ticketId, outcome: 'updated' as const })),
      }
    })
    await user.click(await screen.findByRole('checkbox', { name: 'Select all 3 shown' }))
    const form = screen.getByRole('form', { name: 'Change the selected tickets' })
    await user.selectOptions(within(form).getByLabelText('Assignee'), 'Me')
    await user.click(within(form).getByRole('button', { name: 'Apply to 3 tickets' }))

    expect(await screen.findByText('3 tickets updated.')).toBeTruthy()
    expect(api.sent.find((request) => request.path === '/tickets/bulk')?.body).toEqual({
      ticketIds: ['t1', 't2', 't3'],
      change: { assigneeId: 'a1' },
    })
    // Ticking "all" again clears the selection, and the change form goes with it.
    await user.click(screen.getByRole('checkbox', { name: 'Select all 3 shown' }))
    expect(screen.queryByRole('form', { name: 'Change the selected tickets' })).toBeNull()
  })

  it('says what is missing instead of sending a change without a value', async () => {
    const user = userEvent.setup()
    const api = queue(() => {
      throw new Error('not sent')
    })
    await user.click(await screen.findByRole('checkbox', { name: 'Select #2 Printer 2' }))
    const form = screen.getByRole('form', { name: 'Change the selected tickets' })
    await user.selectOptions(within(form).getByLabelText('Change'), 'Add tag')
    await user.click(within(form).getByRole('button', { name: 'Apply to 1 ticket' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Type the tag to add.')
    expect(api.sent.some((request) => request.path === '/tickets/bulk')).toBe(false)
  })
})
