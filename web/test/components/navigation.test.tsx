/** @jest-environment jsdom */
// In-app navigation: links change the page without a reload (but stay real links), and the
// new page's heading takes the focus so keyboard and screen-reader users start there.
import { describe, expect, it } from '@jest/globals'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Link, useLocation } from '../../src/router/router.tsx'
import { PageHeading } from '../../src/ui/PageHeading.tsx'

function Pages() {
  const { pathname, query } = useLocation()
  return (
    <>
      <nav>
        <Link to="/tickets?queue=pending">Pending</Link>
        <Link to="/account">Account</Link>
      </nav>
      {pathname === '/account' ? (
        <PageHeading title="Account" />
      ) : (
        <PageHeading title={`Queue ${query.get('queue') ?? 'none'}`} />
      )}
    </>
  )
}

describe('navigation', () => {
  // jsdom lays nothing out, so it has no scrolling to do.
  window.scrollTo = () => {}

  it('moves between pages in place and focuses the new heading', async () => {
    window.history.replaceState(null, '', '/tickets')
    const user = userEvent.setup()
    render(<Pages />)
    expect(document.title).toBe('Queue none · Helpdesk')
    // The first page load leaves the focus where the browser put it.
    expect(document.activeElement).toBe(document.body)

    const link = screen.getByRole('link', { name: 'Account' })
    expect(link.getAttribute('href')).toBe('/account')
    await user.click(link)
    expect(window.location.pathname).toBe('/account')
    const heading = screen.getByRole('heading', { level: 1 })
    expect(heading.textContent).toBe('Account')
    expect(document.activeElement).toBe(heading)

    await user.click(screen.getByRole('link', { name: 'Pending' }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Queue pending')
    expect(document.title).toBe('Queue pending · Helpdesk')

    window.history.back()
    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeTruthy()
    expect(window.location.pathname).toBe('/account')
  })
})
