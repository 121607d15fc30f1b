/** @jest-environment jsdom */
// Saved views: the queue page saves the filters on screen under a name, in one form the API
// keeps too; the heading carries the view's name while the filters are still the view's and
// falls back once one changes; a taken name or one view too many is said in the dialog.
import '../support/dialog.ts'
import { afterEach, describe, expect, it } from '@jest/globals'
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueuePage } from '../../src/agent/QueuePage.tsx'
import { currentView, savedViewPath, viewQueryOf } from '../../src/agent/queues.ts'
import type { SavedView } from '../../src/api/types.ts'
import { type Answer, fakeApi, problem } from '../support/fake-api.ts'
import { person, signedIn } from '../support/signed-in.tsx'

const PRINTERS: SavedView = {
  id: 'v1',
  name: 'Urgent printers',
  // As the API keeps it: keys in alphabetical order, the comma encoded.
  query: 'priority=urgent&q=printer&status=open%2Cpending',
  createdAt: '2026-03-01T09:00:00Z',
  updatedAt: '2026-03-01T09:00:00Z',
}

const view = (search: string) =>
  currentView(new URLSearchParams(search), undefined, undefined, [PRINTERS])

describe('naming a saved view', () => {
  it('names the list by the view while its filters are the view’s, in any order', () => {
    expect(view('queue=all&view=v1&status=open,pending&q=printer&priority=urgent')).toEqual({
      title: 'Urgent printers',
      savedViewId: 'v1',
    })
    const opened = new URL(savedViewPath(PRINTERS), 'http://localhost')
    expect(currentView(opened.searchParams, undefined, undefined, [PRINTERS]).title).toBe(
      'Urgent printers',
    )
    // A view of every ticket: nothing after its id.
    const everything = { ...PRINTERS, id: 'v2', name: 'Everything', query: '' }
    expect(savedViewPath(everything)).toBe('/tickets?queue=all&view=v2')
    const all = new URL(savedViewPath(everything), 'http://localhost').searchParams
    expect(currentView(all, undefined, undefined, [everything]).title).toBe('Everything')
  })

  it('falls back to what the filters select once one changes, or without the view', () => {
    expect(view('queue=all&view=v1&status=open,pending&q=printer&priority=high')).toEqual({
      title: 'Search results',
    })
    expect(view('queue=all&view=v1&status=closed')).toEqual({ title: 'Closed tickets' })
    expect(view('queue=all&view=v9&status=open,pending&q=printer&priority=urgent')).toEqual({
      title: 'Search results',
    })
    expect(view('queue=open')).toEqual({ title: 'All open', queueId: 'open' })
  })

  it('keeps what the page lists, its queue’s own filters included, as a view would', () => {
    expect(viewQueryOf(new URLSearchParams('queue=mine&priority=high&sort=due&cursor=x'))).toBe(
      'assigneeId=me&priority=high&sort=due&status=new%2Copen%2Con_hold',
    )
  })
})

/** What the queue page reads besides saved views: an empty list, no agents or teams. */
function queueReads(pathname: string): Answer | undefined {
  if (pathname === '/tickets/count') return { status: 200, body: { count: 0 } }
  if (['/tickets', '/users', '/teams'].includes(pathname)) {
    return { status: 200, body: { items: [], nextCursor: null } }
  }
  return undefined
}

describe('saving a view on the queue page', () => {
  let restore = () => {}
  afterEach(() => restore())

  function queuePage(answerSave: (body: unknown) => Answer) {
    const views: SavedView[] = []
    const api = fakeApi(({ method, path, body }) => {
      const url = new URL(path, 'http://localhost')
      if (url.pathname === '/saved-views' && method === 'POST') {
        const answer = answerSave(body)
        if (answer.status === 201) views.push(answer.body as SavedView)
        return answer
      }
      if (url.pathname === '/saved-views') return { status: 200, body: { items: views } }
      return queueReads(url.pathname)
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=open&status=closed&priority=urgent')
    signedIn(person('a1', 'agent'), <QueuePage />)
    return api
  }

  it('saves the filters on screen under a name, then heads and lists the list by it', async () => {
    const user = userEvent.setup()
    let attempts = 0
    const api = queuePage((body) => {
      attempts += 1
      if (attempts === 1) {
        return problem(409, 'view_name_taken', 'you already have a view named Closed', [
          { path: 'body.name', message: 'you already have a view with this name' },
        ])
      }
      return { status: 201, body: { ...PRINTERS, id: 'v2', ...(body as object) } }
    })
    const nav = screen.getByRole('navigation', { name: 'Queues' })
    await within(nav).findByText('None yet: filter the queue, then Save view.')

    await user.click(screen.getByRole('button', { name: 'Save view' }))
    const dialog = screen.getByRole('dialog', { name: 'Save view' })
    await user.type(within(dialog).getByLabelText('Name'), 'Closed urgent')
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'You already have a view with this name.',
    )
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true')

    await user.click(within(dialog).getByRole('button', { name: 'Save view' }))
    await screen.findByText('View “Closed urgent” saved.')
    expect(screen.queryByRole('dialog')).toBeNull()
    const saves = api.sent.filter((request) => request.method === 'POST')
    expect(saves.at(-1)?.body).toEqual({
      name: 'Closed urgent',
      query: 'priority=urgent&status=closed',
    })
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Closed urgent')
    const link = within(nav).getByRole('link', { name: 'Closed urgent' })
    expect(link.getAttribute('aria-current')).toBe('page')
    expect(link.getAttribute('href')).toBe(
      '/tickets?queue=all&view=v2&priority=urgent&status=closed',
    )
    expect(screen.getByRole('button', { name: 'Rename view' })).toBeTruthy()
  })

  it('says in the dialog when the agent has as many views as one may keep', async () => {
    const user = userEvent.setup()
    queuePage(() =>
      problem(
        422,
        'too_many_saved_views',
        'you have 50 saved views already: delete one to save another',
      ),
    )
    await user.click(screen.getByRole('button', { name: 'Save view' }))
    const dialog = screen.getByRole('dialog', { name: 'Save view' })
    await user.type(within(dialog).getByLabelText('Name'), 'One more')
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'you have 50 saved views already: delete one to save another',
    )
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Closed tickets')
  })

  it('renames the view it shows, and deletes it: the list stays, unnamed', async () => {
    const user = userEvent.setup()
    let views: SavedView[] = [{ ...PRINTERS, query: 'priority=urgent' }]
    const api = fakeApi(({ method, path, body }) => {
      const url = new URL(path, 'http://localhost')
      if (url.pathname === '/saved-views/v1' && method === 'PATCH') {
        views = views.map((view) => ({ ...view, ...(body as object) }))
        return { status: 200, body: views[0] }
      }
      if (url.pathname === '/saved-views/v1' && method === 'DELETE') {
        views = []
        return { status: 204 }
      }
      if (url.pathname === '/saved-views') return { status: 200, body: { items: views } }
      return queueReads(url.pathname)
    })
    restore = api.restore
    window.history.replaceState(null, '', '/tickets?queue=all&view=v1&priority=urgent')
    signedIn(person('a1', 'agent'), <QueuePage />)
    await screen.findByRole('heading', { level: 1, name: 'Urgent printers' })

    await user.click(screen.getByRole('button', { name: 'Rename view' }))
    const rename = screen.getByRole('dialog', { name: 'Rename view' })
    const name = within(rename).getByLabelText('Name')
    expect((name as HTMLInputElement).value).toBe('Urgent printers')
    await user.clear(name)
    await user.type(name, 'Urgent')
    await user.click(within(rename).getByRole('button', { name: 'Rename view' }))
    await screen.findByText('View renamed to “Urgent”.')
    expect(api.sent.find((request) => request.method === 'PATCH')?.body).toEqual({ name: 'Urgent' })
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Urgent')
    const nav = screen.getByRole('navigation', { name: 'Queues' })
    expect(within(nav).getByRole('link', { name: 'Urgent' })).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Delete view' }))
    const confirm = screen.getByRole('dialog', { name: 'Delete view' })
    expect(confirm.textContent).toContain('Delete your view “Urgent”?')
    await user.click(within(confirm).getByRole('button', { name: 'Delete view' }))
    await screen.findByText('View “Urgent” deleted.')
    expect(api.sent.some((request) => request.method === 'DELETE')).toBe(true)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('All tickets')
    expect(window.location.search).toBe('?queue=all&priority=urgent')
    expect(within(nav).getByText('None yet: filter the queue, then Save view.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Delete view' })).toBeNull()
    // The Delete button went with the view: the focus waits on Save view.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save view' }))
  })
})
