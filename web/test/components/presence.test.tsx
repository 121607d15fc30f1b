/** @jest-environment jsdom */
// The agent's ticket page with the tab's live stream: who else is on the ticket (from the
// presence answer and the stream's presence news), "replying" while a draft is written, a
// goodbye when the page closes; and the warning before sending when someone else added a
// message while the draft was written.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { AgentTicketPage } from '../../src/agent/AgentTicketPage.tsx'
import { type ApiSignal, onApiSignal } from '../../src/api/client.ts'
import type { Message } from '../../src/api/types.ts'
import { LiveUpdatesProvider } from '../../src/hooks/live.tsx'
import { presenceSentences } from '../../src/tickets/usePresence.ts'
import { fakeApi } from '../support/fake-api.ts'
import { person, signedIn, TICKET } from '../support/signed-in.tsx'

/** The tab's stream as the test drives it: jsdom has no EventSource. */
class FakeEventSource extends EventTarget {
  static readonly CLOSED = 2
  static opened: FakeEventSource[] = []
  readyState = 1
  onerror: (() => void) | null = null
  readonly url: string
  constructor(url: string) {
    super()
    this.url = url
    FakeEventSource.opened.push(this)
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
}

function serverSends(event: string, data: object) {
  const stream = FakeEventSource.opened.at(-1)
  if (!stream) throw new Error('no stream is open')
  act(() => {
    stream.dispatchEvent(new MessageEvent(event, { data: JSON.stringify(data) }))
  })
}

function message(id: string, author: string, body: string, internal = false): Message {
  return {
    id,
    body,
    internal,
    author: { id: author, name: author === 'g2' ? 'Bob Agent' : author },
    createdAt: '2026-03-01T12:00:00Z',
    via: 'web',
    attachments: [],
    fullBody: null,
    html: null,
  }
}

const ORIGINAL_EVENT_SOURCE = globalThis.EventSource
beforeEach(() => {
  FakeEventSource.opened = []
  globalThis.EventSource = FakeEventSource as unknown as typeof EventSource
})
let restore = () => {}
afterEach(() => {
  restore()
  globalThis.EventSource = ORIGINAL_EVENT_SOURCE
})

function ticketApi(others: object[] | 'signed out' = []) {
  const conversation: Message[] = [message('m1', 'c1', 'The printer is offline')]
  const api = fakeApi(({ method, path, body }) => {
    if (path === '/tickets/t1' && method === 'GET') return { status: 200, body: TICKET }
    if (path === '/tickets/t1/presence' && method === 'PUT') {
      if (others === 'signed out') {
        return { status: 401, body: { type: 'unauthenticated', title: 'Authentication required' } }
      }
      return { status: 200, body: { others, renewInMs: 60_000 } }
    }
    if (path === '/tickets/t1/presence' && method === 'DELETE') return { status: 204 }
    if (path === '/tickets/t1/messages' && method === 'POST') {
      const sent = message('m-sent', 'g1', (body as { body: string }).body)
      conversation.push(sent)
      return { status: 201, body: sent }
    }
    if (path.startsWith('/tickets/t1/messages')) {
      return { status: 200, body: { items: conversation, nextCursor: null } }
    }
    if (path.startsWith('/tickets/t1/events') || path.startsWith('/canned-responses')) {
      return { status: 200, body: { items: [], nextCursor: null } }
    }
    if (path === '/settings/public') {
      return { status: 200, body: { selfSignupEnabled: false, maxAttachmentBytes: 1024 } }
    }
    return undefined
  })
  restore = api.restore
  return { ...api, conversation }
}

async function agentPage(others: object[] | 'signed out' = []) {
  const api = ticketApi(others)
  const user = userEvent.setup()
  const page = signedIn(
    person('g1', 'agent'),
    <LiveUpdatesProvider enabled>
      <AgentTicketPage id="t1" />
    </LiveUpdatesProvider>,
  )
  await screen.findByRole('form', { name: 'Reply or add a note' })
  serverSends('ready', {})
  const textarea = screen.getByLabelText('Your reply') as HTMLTextAreaElement
  return { api, user, page, textarea }
}

const presenceLine = () =>
  screen.getAllByRole('status').find((element) => element.classList.contains('presence-line'))

const announced = (sent: { method: string; path: string; body: unknown }[]) =>
  sent
    .filter((request) => request.path === '/tickets/t1/presence')
    .map((request) =>
      request.method === 'PUT' ? (request.body as { state: string }).state : 'left',
    )

describe('presence on the agent’s ticket page', () => {
  it('shows who else is here, follows the stream, says "replying" while writing and leaves on close', async () => {
    const { api, user, page, textarea } = await agentPage([
      { userId: 'g2', name: 'Bob Agent', state: 'viewing' },
    ])
    await waitFor(() => expect(presenceLine()?.textContent).toBe('Bob Agent is viewing.'))

    serverSends('presence', {
      kind: 'presence',
      ticketId: 't1',
      userId: 'g3',
      name: 'Cleo Admin',
      state: 'replying',
    })
    expect(presenceLine()?.textContent).toBe('Cleo Admin is replying. Bob Agent is viewing.')
    // Another ticket's presence is not this page's.
    serverSends('presence', {
      kind: 'presence',
      ticketId: 't2',
      userId: 'g4',
      name: 'Dan',
      state: 'viewing',
    })
    serverSends('presence', {
      kind: 'presence',
      ticketId: 't1',
      userId: 'g2',
      name: 'Bob Agent',
      state: 'left',
    })
    expect(presenceLine()?.textContent).toBe('Cleo Admin is replying.')

    await user.type(textarea, 'On it')
    await waitFor(() => expect(announced(api.sent)).toEqual(['viewing', 'replying']))
    await user.clear(textarea)
    await waitFor(() => expect(announced(api.sent)).toEqual(['viewing', 'replying', 'viewing']))

    page.unmount()
    expect(announced(api.sent)).toEqual(['viewing', 'replying', 'viewing', 'left'])
  })

  it('a renewal refused for an ended session opens no dialog by itself', async () => {
    const signals: ApiSignal[] = []
    const stop = onApiSignal((signal) => signals.push(signal))
    try {
      const { api } = await agentPage('signed out')
      await waitFor(() => expect(announced(api.sent)).toEqual(['viewing']))
      // The fake answers at once: every promise of it has settled before the next task runs.
      await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
      expect(signals).toEqual([])
    } finally {
      stop()
    }
  })

  it('words who is where', () => {
    expect(presenceSentences([])).toEqual([])
    expect(
      presenceSentences([
        { userId: 'a', name: 'Ada', state: 'viewing' },
        { userId: 'b', name: 'Bob', state: 'viewing' },
        { userId: 'c', name: 'Cleo', state: 'viewing' },
        { userId: 'd', name: 'Dan', state: 'replying' },
      ]),
    ).toEqual(['Dan is replying', 'Ada, Bob and Cleo are viewing'])
  })
})

describe('the warning before sending', () => {
  it('shows what someone else added while the agent wrote; "Review first" keeps the draft unsent', async () => {
    const { api, user, textarea } = await agentPage()
    await user.type(textarea, 'I will refund you')
    api.conversation.push(message('m2', 'g2', 'Refund already issued, see the invoice'))
    serverSends('message.added', { kind: 'message.added', ticketId: 't1', messageId: 'm2' })
    await screen.findByText('Refund already issued, see the invoice')

    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    const warning = await screen.findByRole('alert')
    expect(warning.textContent).toContain('A new message arrived while you were writing.')
    expect(within(warning).getByRole('listitem').textContent).toBe(
      'Bob Agent replied: “Refund already issued, see the invoice”',
    )
    expect(api.sent.some((request) => request.method === 'POST')).toBe(false)

    await user.click(within(warning).getByRole('button', { name: 'Review first' }))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(document.activeElement?.textContent).toContain('Refund already issued')
    expect(textarea.value).toBe('I will refund you')
    expect(api.sent.some((request) => request.method === 'POST')).toBe(false)

    // Seen: sending now is not warned again.
    await user.type(textarea, ' twice?')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() =>
      expect(api.sent.filter((request) => request.method === 'POST').map((r) => r.body)).toEqual([
        { body: 'I will refund you twice?', internal: false },
      ]),
    )
  })

  it('"Send anyway" sends with the status chosen; a note counts too, the writer’s own messages do not', async () => {
    const { api, user, textarea } = await agentPage()
    await user.type(textarea, 'Closing this')
    api.conversation.push(message('m3', 'g1', 'from my other tab'))
    serverSends('message.added', { kind: 'message.added', ticketId: 't1', messageId: 'm3' })
    api.conversation.push(message('m4', 'g2', 'Customer called, wait', true))
    serverSends('message.added', { kind: 'message.added', ticketId: 't1', messageId: 'm4' })
    await screen.findByText('Customer called, wait')

    await user.click(screen.getByRole('button', { name: 'Send and mark solved' }))
    const warning = await screen.findByRole('alert')
    expect(
      within(warning)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Bob Agent added an internal note: “Customer called, wait”'])
    await user.click(within(warning).getByRole('button', { name: 'Send anyway' }))
    await waitFor(() =>
      expect(api.sent.filter((request) => request.method === 'POST').map((r) => r.body)).toEqual([
        { body: 'Closing this', internal: false, status: 'solved' },
      ]),
    )
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('warns even before the conversation has loaded what arrived', async () => {
    const { api, user, textarea } = await agentPage()
    await user.type(textarea, 'Quick answer')
    serverSends('message.added', { kind: 'message.added', ticketId: 't1', messageId: 'm5' })
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    expect((await screen.findByRole('alert')).textContent).toContain(
      'A message that is still loading.',
    )
    expect(api.sent.some((request) => request.method === 'POST')).toBe(false)
  })
})
