/** @jest-environment jsdom */
// The agent's composer: `::shortcut` offers the canned responses in a listbox the keyboard
// drives (arrows, Enter, Escape) and inserts the chosen one as the API filled it in; "Send
// and mark solved" posts the reply and the status in one request. Customers get neither.
import { afterEach, describe, expect, it } from '@jest/globals'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { AgentTicketPage } from '../../src/agent/AgentTicketPage.tsx'
import CannedResponsesPage from '../../src/agent/CannedResponsesPage.tsx'
import type { CannedResponse, Ticket } from '../../src/api/types.ts'
import { RequestPage } from '../../src/portal/RequestPage.tsx'
import { fakeApi, problem } from '../support/fake-api.ts'
import { person, signedIn, TICKET } from '../support/signed-in.tsx'

function response(id: string, shortcut: string, title: string, shared: boolean): CannedResponse {
  return {
    id,
    shortcut,
    title,
    body: `{{customer.firstName}} ${title}`,
    shared,
    createdAt: '2026-03-01T09:00:00Z',
    updatedAt: '2026-03-01T09:00:00Z',
  }
}

const RESPONSES = [
  response('r1', 'thanks', 'Thank you', true),
  response('r2', 'thanks-long', 'Thank you at length', false),
  response('r3', 'refund', 'Refund issued', true),
]

function ticketApi() {
  const state = { status: TICKET.status, messages: 0, listFailures: 0 }
  const api = fakeApi(({ method, path, body }) => {
    if (path === '/tickets/t1' && method === 'GET') {
      return { status: 200, body: { ...TICKET, status: state.status } }
    }
    if (path === '/tickets/t1/messages' && method === 'POST') {
      const sent = body as { body: string; internal: boolean; status?: Ticket['status'] }
      if (sent.status) state.status = sent.status
      state.messages += 1
      return {
        status: 201,
        body: {
          id: `m${state.messages}`,
          body: sent.body,
          internal: sent.internal,
          author: { id: 'g1', name: 'g1' },
          createdAt: '2026-03-01T12:00:00Z',
          via: 'web',
          attachments: [],
        },
      }
    }
    if (path.startsWith('/tickets/t1/messages') || path.startsWith('/tickets/t1/events')) {
      return { status: 200, body: { items: [], nextCursor: null } }
    }
    if (path.startsWith('/users') || path.startsWith('/teams')) {
      return { status: 200, body: { items: [], nextCursor: null } }
    }
    if (path === '/settings/public') {
      return { status: 200, body: { selfSignupEnabled: false, maxAttachmentBytes: 1024 } }
    }
    if (path === '/canned-responses?limit=100') {
      if (state.listFailures > 0) {
        state.listFailures -= 1
        return problem(503, 'dependency_unavailable', 'the database is unavailable')
      }
      return { status: 200, body: { items: RESPONSES, nextCursor: null } }
    }
    const rendered = /^\/canned-responses\/(r\d)\/rendered\?ticketId=t1$/.exec(path)
    if (rendered) {
      const chosen = RESPONSES.find((candidate) => candidate.id === rendered[1])
      return {
        status: 200,
        body: { body: chosen?.body.replace('{{customer.firstName}}', 'Carla') },
      }
    }
    return undefined
  })
  return { ...api, state }
}

let restore = () => {}
afterEach(() => restore())

async function agentComposer() {
  const api = ticketApi()
  restore = api.restore
  const user = userEvent.setup()
  signedIn(person('g1', 'agent'), <AgentTicketPage id="t1" />)
  await screen.findByRole('form', { name: 'Reply or add a note' })
  const textarea = screen.getByLabelText('Your reply') as HTMLTextAreaElement
  return { api, user, textarea }
}

describe('canned responses in the agent’s composer', () => {
  it('are offered for ::shortcut and inserted with Enter, filled in, where the shortcut was', async () => {
    const { api, user, textarea } = await agentComposer()
    await user.type(textarea, 'Hello ::than')
    const listbox = await screen.findByRole('listbox', { name: 'Canned responses' })
    const options = within(listbox).getAllByRole('option')
    expect(options.map((option) => option.textContent)).toEqual([
      '::thanks Thank you shared',
      '::thanks-long Thank you at length yours',
    ])
    expect(textarea.getAttribute('aria-controls')).toBe(listbox.id)
    expect(textarea.getAttribute('aria-activedescendant')).toBe(options[0]?.id)
    expect(options[0]?.getAttribute('aria-selected')).toBe('true')

    await user.keyboard('{ArrowDown}')
    expect(options[1]?.getAttribute('aria-selected')).toBe('true')
    expect(textarea.getAttribute('aria-activedescendant')).toBe(options[1]?.id)
    await user.keyboard('{ArrowDown}')
    expect(options[0]?.getAttribute('aria-selected')).toBe('true')
    await user.keyboard('{ArrowUp}{Enter}')

    await waitFor(() => expect(textarea.value).toBe('Hello Carla Thank you at length'))
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(textarea.selectionStart).toBe(textarea.value.length)
    expect(document.activeElement).toBe(textarea)
    expect(api.sent.some((request) => request.method === 'POST')).toBe(false)
    await user.type(textarea, '!')
    expect(textarea.value).toBe('Hello Carla Thank you at length!')
  })

  it('match titles too, say when nothing matches, and close with Escape', async () => {
    const { user, textarea } = await agentComposer()
    await user.type(textarea, '::issued')
    const listbox = await screen.findByRole('listbox', { name: 'Canned responses' })
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['::refund Refund issued shared'])
    await user.type(textarea, 'x')
    await screen.findByText('No canned response matches “issuedx”.')
    expect(screen.queryByRole('listbox')).toBeNull()
    await user.keyboard('{Backspace}')
    await screen.findByRole('listbox')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('listbox')).toBeNull()
    // With the list closed, Enter is a line break again.
    await user.keyboard('{Enter}')
    expect(textarea.value).toBe('::issued\n')
  })

  it('say when they cannot be loaded, and are asked for again when the list opens next', async () => {
    const { api, user, textarea } = await agentComposer()
    api.state.listFailures = 1
    await user.type(textarea, '::th')
    await screen.findByText('Canned responses could not be loaded.')
    await user.keyboard('{Escape} ::th')
    const listbox = await screen.findByRole('listbox', { name: 'Canned responses' })
    expect(within(listbox).getAllByRole('option')).toHaveLength(2)
  })

  it('are not offered where :: is inside a word', async () => {
    const { api, user, textarea } = await agentComposer()
    await user.type(textarea, 'std::thanks')
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(api.sent.some((request) => request.path.startsWith('/canned-responses'))).toBe(false)
  })
})

describe('send and set status', () => {
  it('sends the reply and the new status in one request, and shows the ticket as it is now', async () => {
    const { api, user, textarea } = await agentComposer()
    await user.type(textarea, 'Fixed the driver.')
    await user.click(screen.getByRole('button', { name: 'Send and mark solved' }))
    await screen.findByText('Reply sent and the ticket marked solved.')
    const posts = api.sent.filter((request) => request.method === 'POST')
    expect(posts.map((request) => request.body)).toEqual([
      { body: 'Fixed the driver.', internal: false, status: 'solved' },
    ])
    expect(api.sent.filter((request) => request.method === 'PATCH')).toEqual([])
    await waitFor(() =>
      expect(api.sent.filter((r) => r.method === 'GET' && r.path === '/tickets/t1')).toHaveLength(
        2,
      ),
    )
    // The plain send, after it, sends no status.
    await user.type(textarea, 'One more thing.')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    await screen.findByText('Reply sent.')
    expect(api.sent.filter((r) => r.method === 'POST').at(-1)?.body).toEqual({
      body: 'One more thing.',
      internal: false,
    })
  })
})

describe('a customer’s reply box', () => {
  it('offers no canned responses and no status buttons', async () => {
    const api = ticketApi()
    restore = api.restore
    const user = userEvent.setup()
    signedIn(person('c1', 'customer'), <RequestPage id="t1" />)
    await screen.findByRole('form', { name: 'Reply' })
    await user.type(screen.getByLabelText('Your reply'), '::thanks')
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(screen.queryByRole('button', { name: /and mark/ })).toBeNull()
    expect(api.sent.some((request) => request.path.startsWith('/canned-responses'))).toBe(false)
  })
})

describe('the canned responses page', () => {
  it('shows the API’s refusal of an unknown placeholder at the text field', async () => {
    const api = fakeApi(({ method, path }) => {
      if (path === '/canned-responses?limit=100') {
        return { status: 200, body: { items: RESPONSES, nextCursor: null } }
      }
      if (path === '/canned-responses/placeholders') {
        return {
          status: 200,
          body: { items: [{ placeholder: '{{customer.name}}', description: 'The name' }] },
        }
      }
      if (path === '/canned-responses' && method === 'POST') {
        return problem(422, 'unknown_placeholder', 'unknown placeholder {{customer.nmae}}', [
          { path: 'body.body', message: 'unknown placeholder {{customer.nmae}}' },
        ])
      }
      return undefined
    })
    restore = api.restore
    const user = userEvent.setup()
    signedIn(person('g1', 'agent'), <CannedResponsesPage />)
    await screen.findByText('Thank you at length')
    // An agent edits their own, not the shared ones, and shares nothing.
    expect(screen.getAllByRole('button', { name: /^Edit/ }).map((b) => b.textContent)).toEqual([
      'Edit ::thanks-long',
    ])
    expect(screen.queryByLabelText('Shared with all agents')).toBeNull()
    await user.type(screen.getByLabelText('Shortcut'), 'hi')
    await user.type(screen.getByLabelText('Title'), 'Hi')
    await user.type(screen.getByLabelText(/^Text/), 'Hi {{{{customer.nmae}}')
    await user.click(screen.getByRole('button', { name: 'Add response' }))
    const message = await screen.findByText(/Unknown placeholder \{\{customer\.nmae\}\}/)
    expect(message.closest('.field')?.querySelector('textarea')).not.toBeNull()
  })
})
