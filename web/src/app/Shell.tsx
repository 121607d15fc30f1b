// The frame around every signed-in page: skip link, header with navigation (a menu button
// on narrow screens), the admin MFA reminder, the main landmark, and for staff the `?`
// keyboard shortcuts overlay.
import { type ReactNode, useEffect, useId, useState } from 'react'
import { ShortcutsHelp } from '../agent/ShortcutsHelp.tsx'
import { errorMessage } from '../api/client.ts'
import type { Role } from '../api/types.ts'
import { mustEnrolMfa, useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { Link, useLocation } from '../router/router.tsx'

interface NavItem {
  to: string
  label: string
  /** Paths under this prefix mark the item as the current section. */
  section: string
  roles: Role[]
}

const NAV: NavItem[] = [
  { to: '/tickets', label: m.shell.nav.tickets, section: '/tickets', roles: ['agent', 'admin'] },
  {
    to: '/responses',
    label: m.shell.nav.responses,
    section: '/responses',
    roles: ['agent', 'admin'],
  },
  { to: '/requests', label: m.shell.nav.requests, section: '/requests', roles: ['customer'] },
  { to: '/admin/users', label: m.shell.nav.admin, section: '/admin', roles: ['admin'] },
  {
    to: '/account',
    label: m.shell.nav.account,
    section: '/account',
    roles: ['customer', 'agent', 'admin'],
  },
]

export function Shell({ children }: { children: ReactNode }) {
  const { user, signOut } = useSession()
  const { pathname } = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)
  const [signOutError, setSignOutError] = useState<unknown>(null)
  const menuId = useId()

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the menu
  useEffect(() => setMenuOpen(false), [pathname])

  const items = NAV.filter((item) => item.roles.includes(user.role))
  const current = (item: NavItem) =>
    pathname === item.section || pathname.startsWith(`${item.section}/`)

  return (
    <>
      <a className="skip-link" href="#main">
        {m.shell.skipToMain}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          {m.shell.brand}
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {m.shell.menu}
        </button>
        <nav
          id={menuId}
          className={`app-nav${menuOpen ? ' open' : ''}`}
          aria-label={m.shell.mainNavigation}
        >
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={current(item) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="app-user">
            <span className="app-user-name" title={user.email}>
              {user.name}
            </span>
            <button
              type="button"
              className="button button-small"
              onClick={() => signOut().catch(setSignOutError)}
            >
              {m.shell.signOut}
            </button>
          </div>
        </nav>
      </header>
      {signOutError !== null && (
        <p className="banner banner-error" role="alert">
          {m.shell.signOutFailed({ reason: errorMessage(signOutError) })}
        </p>
      )}
      {mustEnrolMfa(user) && pathname !== '/account' && (
        <p className="banner">
          {user.role === 'admin' ? m.shell.adminsMustEnrol : m.shell.youMustEnrol}{' '}
          {m.shell.toCarryOn({ link: <Link to="/account">{m.shell.setUpMfaNow}</Link> })}
        </p>
      )}
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
      {user.role !== 'customer' && <ShortcutsHelp />}
    </>
  )
}
