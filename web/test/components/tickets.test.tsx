/** @jest-environment jsdom */
// Ticket components as people meet them: internal notes unmistakable, SLA badges, long tag
// lists summarised, every list state, and oversized attachments refused before upload.
import { describe, expect, it, jest } from '@jest/globals'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { TicketProperties } from '../../src/agent/TicketProperties.tsx'
import type { Message, Ticket } from '../../src/api/types.ts'
import type { PagedList } from '../../src/hooks/data.ts'
import { AttachmentPicker, useAttachmentQueue } from '../../src/tickets/AttachmentPicker.tsx'
import { SlaIndicator, TagList } from '../../src/tickets/Badges.tsx'
import { Conversation } from '../../src/tickets/Conversation.tsx'
import { TicketList } from '../../src/tickets/TicketList.tsx'
import { apiResponse } from '../support/fake-api.ts'

const NOW = Date.parse('2026-03-01T12:00:00Z')

function paged<T>(items: T[], overrides: Partial<PagedList<T>> = {}): PagedList<T> {
  return {
    state: 'ready',
    items,
    error: null,
    hasMore: false,
    loadingMore: false,
    moreError: null,
    loadMore: () => {},
    reload: () => {},
    update: () => {},
    ...overrides,
  }
}

const ticket: Ticket = {
  id: 't1',
  number: 1042,
  subject: `Invoice ${'very-long-word-'.repeat(30)}`,
  status: 'open',
  priority: 'urgent',
  requester: { id: 'c1', name: 'Carla Customer' },
  assignee: null,
  team: null,
  tags: Array.from({ length: 12 }, (_, index) => `tag-${index}`),
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T11:00:00Z',
  firstResponseDueAt: '2026-03-01T11:30:00Z',
  resolutionDueAt: '2026-03-02T12:00:00Z',
  slaBreached: true,
}

describe('Conversation', () => {
  const messages: Message[] = [
    {
      id: 'm1',
      author: { id: 'c1', name: 'Carla Customer' },
      body: 'The printer shows error 42.',
      internal: false,
      via: 'web',
      fullBody: null,
      html: null,
      createdAt: '2026-03-01T10:00:00Z',
      attachments: [
        {
          id: 'a1',
          filename: 'error.png',
          size: 2048,
          contentType: 'image/png',
          previewable: true,
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          messageId: 'm1',
          uploaderId: 'c1',
          createdAt: '2026-03-01T10:00:00Z',
        },
        {
          id: 'a2',
          filename: 'log.txt',
          size: 120,
          contentType: 'text/plain; charset=utf-8',
          previewable: false,
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          messageId: 'm1',
          uploaderId: 'c1',
          createdAt: '2026-03-01T10:00:00Z',
        },
      ],
    },
    {
      id: 'm2',
      author: { id: 'g1', name: 'Gus Agent' },
      body: 'Known firmware bug, see KB-7.',
      internal: true,
      via: 'web',
      fullBody: null,
      html: null,
      createdAt: '2026-03-01T10:05:00Z',
      attachments: [],
    },
  ]

  it('marks internal notes apart from replies and links attachments for download', () => {
    render(<Conversation list={paged(messages)} viewer={{ id: 'c1', role: 'customer' }} />)
    const [reply, note] = screen.getAllByRole('article')
    expect(within(reply as HTMLElement).queryByText('Internal note')).toBeNull()
    expect(within(note as HTMLElement).getByText('Internal note')).toBeTruthy()
    expect(note?.className).toContain('message-internal')
    expect(reply?.className).not.toContain('message-internal')
    const link = screen.getByRole('link', { name: 'error.png' })
    expect(link.getAttribute('href')).toBe('/api/v1/attachments/a1')
    expect(link.hasAttribute('download')).toBe(true)
  })

  it('shows pictures from the preview route, and other files as links only', () => {
    render(<Conversation list={paged(messages)} viewer={{ id: 'c1', role: 'customer' }} />)
    const images = screen.getAllByRole('img')
    expect(images.map((image) => image.getAttribute('alt'))).toEqual(['Preview of error.png'])
    expect(images[0]?.getAttribute('src')).toBe('/api/v1/attachments/a1/preview')
    expect(screen.getByRole('link', { name: 'log.txt' }).getAttribute('href')).toBe(
      '/api/v1/attachments/a2',
    )
  })

  it('offers to delete a file to its uploader and to staff only', () => {
    const { rerender } = render(
      <Conversation list={paged(messages)} viewer={{ id: 'c1', role: 'customer' }} />,
    )
    expect(screen.getByRole('button', { name: 'Delete error.png' })).toBeTruthy()
    rerender(<Conversation list={paged(messages)} viewer={{ id: 'c2', role: 'customer' }} />)
    expect(screen.queryByRole('button', { name: 'Delete error.png' })).toBeNull()
    rerender(<Conversation list={paged(messages)} viewer={{ id: 'g1', role: 'agent' }} />)
    expect(screen.getByRole('button', { name: 'Delete error.png' })).toBeTruthy()
  })

  it('offers more messages when the API has more', async () => {
    const loadMore = jest.fn()
    render(
      <Conversation
        list={paged(messages, { hasMore: true, loadMore })}
        viewer={{ id: 'c1', role: 'customer' }}
      />,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Show more messages' }))
    expect(loadMore).toHaveBeenCalledTimes(1)
  })
})

describe('TicketList', () => {
  it('shows loading, error with retry, and empty states', async () => {
    const { rerender } = render(
      <TicketList
        list={paged<Ticket>([], { state: 'loading' })}
        audience="agent"
        emptyTitle="None"
      />,
    )
    expect(screen.getByRole('status').textContent).toContain('Loading tickets')

    const reload = jest.fn()
    rerender(
      <TicketList
        list={paged<Ticket>([], {
          state: 'error',
          error: new Error('Cannot reach the server.'),
          reload,
        })}
        audience="agent"
        emptyTitle="None"
      />,
    )
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the server.')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(reload).toHaveBeenCalled()

    rerender(<TicketList list={paged<Ticket>([])} audience="agent" emptyTitle="No tickets here" />)
    expect(screen.getByText('No tickets here')).toBeTruthy()
  })

  it('shows agents who, what and what is due; customers only their request and its state', () => {
    const { rerender } = render(
      <TicketList list={paged([ticket], { hasMore: true })} audience="agent" emptyTitle="None" />,
    )
    expect(screen.getByRole('link').getAttribute('href')).toBe('/tickets/t1')
    expect(screen.getByText('Unassigned')).toBeTruthy()
    expect(screen.getByText('Urgent')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Load more' })).toBeTruthy()

    rerender(<TicketList list={paged([ticket])} audience="customer" emptyTitle="None" />)
    expect(screen.getByRole('link').getAttribute('href')).toBe('/requests/t1')
    expect(screen.queryByText('Unassigned')).toBeNull()
    expect(screen.queryByText('Urgent')).toBeNull()
    expect(screen.queryByText(/SLA/)).toBeNull()
    expect(screen.queryByRole('list', { name: 'Tags' })).toBeNull()
  })
})

describe('badges', () => {
  it('flags a breached SLA and each running target', () => {
    render(<SlaIndicator ticket={ticket} all now={NOW} />)
    expect(screen.getByText('First response SLA breached')).toBeTruthy()
    expect(screen.getByText(/^Resolution due/).className).toContain('sla-on-track')
  })

  it('summarises long tag lists', () => {
    render(<TagList tags={ticket.tags} limit={5} />)
    const items = within(screen.getByRole('list', { name: 'Tags' })).getAllByRole('listitem')
    expect(items).toHaveLength(6)
    expect(items[5]?.textContent).toBe('+7 more')
    expect(items[5]?.getAttribute('title')).toContain('tag-11')
  })
})

function Picker({ maxBytes }: { maxBytes: number }) {
  const queue = useAttachmentQueue(maxBytes)
  return (
    <>
      <AttachmentPicker queue={queue} maxBytes={maxBytes} />
      <p data-testid="blocked">{String(queue.blocked)}</p>
    </>
  )
}

describe('AttachmentPicker', () => {
  it('refuses a file over the limit with a message, until it is removed', async () => {
    const user = userEvent.setup()
    render(<Picker maxBytes={1024} />)
    expect(screen.getByText('Up to 1.0 KB per file.')).toBeTruthy()
    await user.upload(screen.getByLabelText('Attach files'), [
      new File(['small'], 'notes.txt', { type: 'text/plain' }),
      new File([new Uint8Array(4096)], 'huge.bin'),
    ])
    expect(screen.getByRole('alert').textContent).toBe(
      'huge.bin is 4.0 KB; files can be at most 1.0 KB.',
    )
    expect(screen.getByTestId('blocked').textContent).toBe('true')
    await user.click(screen.getByRole('button', { name: 'Remove huge.bin' }))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByTestId('blocked').textContent).toBe('false')
    expect(screen.getByText('notes.txt')).toBeTruthy()
  })
})

describe('TicketProperties', () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    apiResponse({ status, body, headers })

  it('on a stale version shows what someone else changed, and applies the change again on request', async () => {
    const theirs = { ...ticket, status: 'pending' as const, assignee: { id: 'g2', name: 'Gina' } }
    const sent: { method: string; ifMatch: string | null; body: unknown }[] = []
    let patches = 0
    const fetchMock = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input)
      const method = init?.method ?? 'GET'
      const headers = new Headers(init?.headers)
      if (method === 'PATCH') {
        sent.push({
          method,
          ifMatch: headers.get('If-Match'),
          body: JSON.parse(String(init?.body)),
        })
        patches += 1
        return patches === 1
          ? json(412, { type: 'precondition_failed', title: 'Changed' }, { ETag: '"v2"' })
          : json(200, { ...theirs, priority: 'high' }, { ETag: '"v3"' })
      }
      if (url.includes('/tickets/t1')) return json(200, theirs, { ETag: '"v2"' })
      return json(200, { items: [], nextCursor: null })
    })
    const original = globalThis.fetch
    globalThis.fetch = fetchMock as typeof fetch
    try {
      const onSaved = jest.fn()
      const { rerender } = render(<TicketProperties ticket={ticket} onSaved={onSaved} />)
      await userEvent.selectOptions(screen.getByLabelText('Priority'), 'high')
      const alert = await screen.findByText(/Someone changed this ticket/)
      const notice = alert.closest('[role="alert"]') as HTMLElement
      expect(within(notice).getByText('Status: Open → Pending')).toBeTruthy()
      expect(within(notice).getByText('Assignee: Unassigned → Gina')).toBeTruthy()
      expect(onSaved).toHaveBeenCalledWith(theirs)
      rerender(<TicketProperties ticket={theirs} onSaved={onSaved} />)
      await userEvent.click(screen.getByRole('button', { name: 'Apply my change again' }))
      await screen.findByText('Priority saved.')
      // The second try names the version it was shown.
      expect(sent.map((request) => request.ifMatch)).toEqual([null, '"v2"'])
      expect(sent[1]?.body).toEqual({ priority: 'high' })
    } finally {
      globalThis.fetch = original
    }
  })
})
