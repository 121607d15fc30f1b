/** @jest-environment jsdom */
// The queue page's heading and count follow the filters actually applied: a queue keeps its
// name while filters only narrow it, and becomes another, named view once they replace its
// status or assignee ("All open" with Status = Closed lists closed tickets, and says so).
import { afterEach, describe, expect, it } from '@jest/globals'
import { render, screen, within } from '@testing-library/react'
import { QueuePage } from '../../src/agent/QueuePage.tsx'
import { currentView } from '../../src/agent/queues.ts'
import { fakeApi } from '../support/fake-api.ts'

const view = (search: string) =>
  currentView(new URLSearchParams(search), (id) => (id === 'g7' ? 'Gus Agent' : undefined))

describe('naming the view', () => {
  it('keeps the queue while filters only narrow it', () => {
    expect(view('queue=open')).toEqual({ title: 'All open', queueId: 'open' })
    expect(view('queue=open&priority=high&tag=vip')).toEqual({
      title: 'All open',
      queueId: 'open',
    })
    expect(view('queue=pending&status=pending')).toEqual({ title: 'Pending', queueId: 'pending' })
    expect(view('')).toEqual({ title: 'My open tickets', queueId: 'mine' })
  })

  it('names what the filters chose once they replace the status or the assignee', () => {
    expect(view('queue=open&status=closed')).toEqual({ title: 'Closed tickets' })
    expect(view('queue=mine&status=closed')).toEqual({ title: 'Closed tickets assigned to me' })
    expect(view('queue=unassigned&status=on_hold')).toEqual({
      title: 'Unassigned on hold tickets',
    })
    expect(view('queue=open&assigneeId=g7')).toEqual({
      title: 'Open tickets assigned to Gus Agent',
    })
    expect(view('queue=open&assigneeId=g8')).toEqual({ title: 'Open tickets assigned to an agent' })
    expect(view('queue=open&q=printer')).toEqual({ title: 'Search results' })
  })
})

describe('QueuePage', () => {
  let restore = () => {}
  afterEach(() => restore())

  it('under "All open" with Status = Closed, heads and counts the closed tickets', async () => {
    const api = fakeApi(({ path }) => {
      const url = new URL(path, 'http://localhost')
      if (url.pathname === '/tickets/count') {
        return {
          status: 200,
          body: { count: url.searchParams.get('status') === 'closed' ? 3 : 40 },
        }
      }
      if (url.pathname === '/tickets') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/users') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/teams') return { status: 200, body: { items: [], nextCursor: null } }
      return undefined
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=open&status=closed')
    render(<QueuePage />)

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Closed tickets')
    expect(await screen.findByText('3 tickets')).toBeTruthy()
    const queues = screen.getByRole('navigation', { name: 'Queues' })
    expect(within(queues).queryByRole('link', { current: 'page' })).toBeNull()
    const list = api.sent.find((request) => request.path.startsWith('/tickets?'))
    expect(new URL(list?.path ?? '', 'http://localhost').searchParams.get('status')).toBe('closed')
  })
})
