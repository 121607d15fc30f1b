/** @jest-environment jsdom */
// The queue page's heading and count follow the filters actually applied: a queue keeps its
// name while filters only narrow it, and becomes another, named view once they replace its
// status or assignee ("All open" with Status = Closed lists closed tickets, and says so). The
// list can be a compact table instead of cards, a choice kept for the next visit.
import { afterEach, describe, expect, it } from '@jest/globals'
import { fireEvent, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { invalidateDirectory } from '../../src/agent/directory.ts'
import { QueuePage } from '../../src/agent/QueuePage.tsx'
import { currentView } from '../../src/agent/queues.ts'
import { fakeApi } from '../support/fake-api.ts'
import { person, signedIn, TICKET } from '../support/signed-in.tsx'

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

  it('names the built-in views of every ticket, the closed ones and a team’s', () => {
    expect(view('queue=all')).toEqual({ title: 'All tickets', queueId: 'all' })
    expect(view('queue=closed')).toEqual({ title: 'Closed', queueId: 'closed' })
    const teamView = (search: string) =>
      currentView(
        new URLSearchParams(search),
        () => undefined,
        (id) => (id === 't1' ? 'Billing' : undefined),
      )
    expect(teamView('queue=open&teamId=t1')).toEqual({ title: 'Open in Billing', teamId: 't1' })
    // Another queue narrowed by a team keeps its own name.
    expect(teamView('queue=pending&teamId=t1')).toEqual({ title: 'Pending', queueId: 'pending' })
    // A team not known (yet): the queue's name until it is.
    expect(teamView('queue=open&teamId=t9')).toEqual({ title: 'All open', queueId: 'open' })
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
      if (url.pathname === '/saved-views') return { status: 200, body: { items: [] } }
      if (url.pathname === '/teams') return { status: 200, body: { items: [], nextCursor: null } }
      return undefined
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=open&status=closed')
    signedIn(person('a1', 'agent'), <QueuePage />)

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Closed tickets')
    expect(await screen.findByText('3 tickets')).toBeTruthy()
    const queues = screen.getByRole('navigation', { name: 'Queues' })
    expect(within(queues).queryByRole('link', { current: 'page' })).toBeNull()
    const list = api.sent.find((request) => request.path.startsWith('/tickets?'))
    expect(new URL(list?.path ?? '', 'http://localhost').searchParams.get('status')).toBe('closed')
  })

  it('lists a view per team, heads it by the team, and counts only the bounded queues', async () => {
    const api = fakeApi(({ path }) => {
      const url = new URL(path, 'http://localhost')
      if (url.pathname === '/tickets/count') return { status: 200, body: { count: 4 } }
      if (url.pathname === '/tickets') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/users') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/saved-views') return { status: 200, body: { items: [] } }
      if (url.pathname === '/teams') {
        return {
          status: 200,
          body: { items: [{ id: 'team-7', name: 'Billing', memberCount: 2 }], nextCursor: null },
        }
      }
      return undefined
    })
    restore = api.restore
    invalidateDirectory()
    window.history.replaceState(null, '', '/tickets?queue=open&teamId=team-7')
    signedIn(person('a1', 'agent'), <QueuePage />)

    const queues = screen.getByRole('navigation', { name: 'Queues' })
    const team = await within(queues).findByRole('link', { name: 'Billing' })
    expect(team.getAttribute('aria-current')).toBe('page')
    expect(team.getAttribute('href')).toBe('/tickets?queue=open&teamId=team-7')
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Open in Billing')
    await within(queues).findByRole('link', { name: 'All open 4 tickets' })
    // Every ticket, or every closed one: no count that grows without bound.
    expect(within(queues).getByRole('link', { name: 'All tickets' })).toBeTruthy()
    expect(within(queues).getByRole('link', { name: 'Closed' })).toBeTruthy()
    const counted = api.sent.filter((request) => request.path.startsWith('/tickets/count'))
    expect(counted.some((request) => !request.path.includes('status='))).toBe(false)
    expect(counted.some((request) => request.path.includes('status=closed'))).toBe(false)
  })
})

describe('the compact table layout', () => {
  let restore = () => {}
  afterEach(() => {
    restore()
    localStorage.clear()
  })

  const shown = [1, 2].map((number) => ({
    ...TICKET,
    id: `t${number}`,
    number,
    subject: `Printer ${number}`,
    assignee: number === 1 ? { id: 'a1', name: 'Ada Agent' } : null,
  }))

  function queue() {
    const api = fakeApi(({ path }) => {
      const url = new URL(path, 'http://localhost')
      if (url.pathname === '/tickets/count') return { status: 200, body: { count: 2 } }
      if (url.pathname === '/tickets')
        return { status: 200, body: { items: shown, nextCursor: null } }
      if (url.pathname === '/users') return { status: 200, body: { items: [], nextCursor: null } }
      if (url.pathname === '/saved-views') return { status: 200, body: { items: [] } }
      if (url.pathname === '/teams') return { status: 200, body: { items: [], nextCursor: null } }
      return undefined
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=open')
    return signedIn(person('a1', 'agent'), <QueuePage />)
  }

  it('shows one table row per ticket once chosen, keeps the choice, and still selects', async () => {
    const user = userEvent.setup()
    const page = queue()
    await screen.findByRole('checkbox', { name: 'Select #1 Printer 1' })
    expect(screen.queryByRole('table')).toBeNull()
    await user.click(screen.getByRole('radio', { name: 'Compact table' }))

    const table = screen.getByRole('table', { name: 'Tickets' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .slice(1, 5)
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['1', 'Printer 1', 'Carla Customer', 'Ada Agent'],
      ['2', 'Printer 2', 'Carla Customer', 'Unassigned'],
    ])
    expect(within(table).getByRole('link', { name: 'Printer 2' }).getAttribute('href')).toBe(
      '/tickets/t2',
    )
    await user.click(within(table).getByRole('checkbox', { name: 'Select #2 Printer 2' }))
    expect(screen.getByText('1 ticket selected')).toBeTruthy()
    // j walks the table's tickets as it walks the cards.
    fireEvent.keyDown(document.body, { key: 'j' })
    expect(document.activeElement).toBe(within(table).getByRole('link', { name: 'Printer 1' }))
    fireEvent.keyDown(document.body, { key: 'j' })
    expect(document.activeElement).toBe(within(table).getByRole('link', { name: 'Printer 2' }))

    // The next visit opens in the layout chosen.
    page.unmount()
    queue()
    expect(await screen.findByRole('table', { name: 'Tickets' })).toBeTruthy()
    expect((screen.getByRole('radio', { name: 'Compact table' }) as HTMLInputElement).checked).toBe(
      true,
    )
  })
})
