/** @jest-environment jsdom */
// A closed ticket takes no more messages (the API answers 409): the pages say so in place of
// the composer, staff may reopen it, and a reply cut off by someone closing the ticket is
// explained in words and kept for after the reopen.
import { afterEach, describe, expect, it } from '@jest/globals'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { AgentTicketPage } from '../../src/agent/AgentTicketPage.tsx'
import type { Ticket } from '../../src/api/types.ts'
import { RequestPage } from '../../src/portal/RequestPage.tsx'
import { fakeApi, problem } from '../support/fake-api.ts'
import { person, signedIn, TICKET } from '../support/signed-in.tsx'

/** The API's side of one ticket: its status changes as the test (or "someone") says. */
function ticketApi(initial: Ticket['status']) {
  const state = { status: initial, messageRefused: false }
  const api = fakeApi(({ method, path, body }) => {
    const current = { ...TICKET, status: state.status }
    if (path === '/tickets/t1' && method === 'GET') return { status: 200, body: current }
    if (path === '/tickets/t1' && method === 'PATCH') {
      state.status = (body as { status: Ticket['status'] }).status
      return { status: 200, body: { ...current, status: state.status } }
    }
    if (path.startsWith('/tickets/t1/messages') && method === 'POST') {
      if (state.status !== 'closed') return undefined
      state.messageRefused = true
      return problem(409, 'conflict', 'a closed ticket takes no more messages')
    }
    if (path.startsWith('/tickets/t1/messages') || path.startsWith('/tickets/t1/events')) {
      return { status: 200, body: { items: [], nextCursor: null } }
    }
    if (path.startsWith('/users')) return { status: 200, body: { items: [], nextCursor: null } }
    if (path.startsWith('/teams')) return { status: 200, body: { items: [], nextCursor: null } }
    if (path === '/settings/public') {
      return { status: 200, body: { selfSignupEnabled: false, maxAttachmentBytes: 1024 } }
    }
    return undefined
  })
  return { ...api, state }
}

let restore = () => {}
afterEach(() => restore())

describe('a closed ticket for an agent', () => {
  it('says why there is no composer and offers to reopen it', async () => {
    const api = ticketApi('closed')
    restore = api.restore
    signedIn(person('g1', 'agent'), <AgentTicketPage id="t1" />)
    await screen.findByText(/This ticket is closed, so it takes no more replies or notes/)
    expect(screen.queryByRole('form', { name: 'Reply or add a note' })).toBeNull()

    await userEvent.click(screen.getByRole('button', { name: 'Reopen ticket' }))
    await screen.findByRole('form', { name: 'Reply or add a note' })
    expect(api.sent.find((request) => request.method === 'PATCH')?.body).toEqual({
      status: 'open',
    })
    expect(screen.queryByText(/This ticket is closed/)).toBeNull()
  })

  it('explains a reply refused because someone closed the ticket, and keeps the draft', async () => {
    const api = ticketApi('open')
    restore = api.restore
    const user = userEvent.setup()
    signedIn(person('g1', 'agent'), <AgentTicketPage id="t1" />)
    const composer = await screen.findByRole('form', { name: 'Reply or add a note' })
    await user.type(screen.getByLabelText('Your reply'), 'We replaced the cable.')
    api.state.status = 'closed'
    await user.click(screen.getByRole('button', { name: 'Send reply' }))

    await screen.findByText(/This ticket is closed, so it takes no more replies or notes/)
    expect(api.state.messageRefused).toBe(true)
    expect(screen.queryByText(/a closed ticket takes no more messages/)).toBeNull()
    expect(screen.queryByRole('form', { name: 'Reply or add a note' })).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Reopen ticket' }))
    await waitFor(() =>
      expect(screen.getByRole('form', { name: 'Reply or add a note' })).toBe(composer),
    )
    expect((screen.getByLabelText('Your reply') as HTMLTextAreaElement).value).toBe(
      'We replaced the cable.',
    )
  })
})

describe('a closed request for its customer', () => {
  it('says why there is no reply box and points to a new request, without a reopen', async () => {
    const api = ticketApi('closed')
    restore = api.restore
    signedIn(person('c1', 'customer'), <RequestPage id="t1" />)
    await screen.findByText(/This request is closed, so it takes no more replies/)
    expect(screen.getByRole('link', { name: 'New request' }).getAttribute('href')).toBe(
      '/requests/new',
    )
    expect(screen.queryByRole('form', { name: 'Reply' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Reopen/ })).toBeNull()
  })
})
