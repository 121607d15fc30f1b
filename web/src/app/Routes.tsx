import { Component, lazy, type ReactNode, Suspense, useEffect } from 'react'
import { AgentTicketPage } from '../agent/AgentTicketPage.tsx'
import { QueuePage } from '../agent/QueuePage.tsx'
import type { Role, User } from '../api/types.ts'
import { homePath } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { NewRequestPage } from '../portal/NewRequestPage.tsx'
import { RequestPage } from '../portal/RequestPage.tsx'
import { RequestsPage } from '../portal/RequestsPage.tsx'
import { Link, matchPath, navigate, useLocation } from '../router/router.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { Loading } from '../ui/States.tsx'

// Loaded on first visit: most sessions never open them, so the first page stays small.
const AccountPage = lazy(() => import('../account/AccountPage.tsx'))
const AdminArea = lazy(() => import('../admin/AdminArea.tsx'))
const CannedResponsesPage = lazy(() => import('../agent/CannedResponsesPage.tsx'))

const STAFF: Role[] = ['agent', 'admin']
const EVERYONE: Role[] = ['customer', 'agent', 'admin']

interface Route {
  pattern: string
  roles: Role[]
  render(params: Record<string, string>): ReactNode
}

// First match wins: fixed paths before patterns that would also match them.
const ROUTES: Route[] = [
  { pattern: '/tickets', roles: STAFF, render: () => <QueuePage /> },
  { pattern: '/tickets/:id', roles: STAFF, render: ({ id }) => <AgentTicketPage id={id ?? ''} /> },
  { pattern: '/responses', roles: STAFF, render: () => <CannedResponsesPage /> },
  { pattern: '/requests', roles: ['customer'], render: () => <RequestsPage /> },
  { pattern: '/requests/new', roles: ['customer'], render: () => <NewRequestPage /> },
  {
    pattern: '/requests/:id',
    roles: ['customer'],
    render: ({ id }) => <RequestPage id={id ?? ''} />,
  },
  { pattern: '/account', roles: EVERYONE, render: () => <AccountPage /> },
  { pattern: '/admin', roles: ['admin'], render: () => <Redirect to="/admin/users" /> },
  {
    pattern: '/admin/:section',
    roles: ['admin'],
    render: ({ section }) => <AdminArea section={section ?? ''} />,
  },
]

const HOME_ALIASES = new Set(['/', '/signin', '/signup'])

export function SignedInRoutes({ user }: { user: User }) {
  const { pathname } = useLocation()
  if (HOME_ALIASES.has(pathname)) return <Redirect to={homePath(user)} />
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, pathname)
    if (!params) continue
    // Pages of other roles do not exist for this person, as the API answers 404 for them.
    if (!route.roles.includes(user.role)) break
    return (
      <ChunkBoundary key={route.pattern}>
        <Suspense fallback={<Loading />}>{route.render(params)}</Suspense>
      </ChunkBoundary>
    )
  }
  return <NotFound home={homePath(user)} />
}

export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to])
  return null
}

function NotFound({ home }: { home: string }) {
  return (
    <section className="page">
      <PageHeading title={m.shell.notFound} />
      <p>{m.shell.notFoundHint}</p>
      <p>
        <Link to={home}>{m.shell.goHome}</Link>
      </p>
    </section>
  )
}

/**
 * A page that fails — most often a lazily loaded part that cannot be downloaded because a
 * new version was deployed and the old chunk is gone — offers a reload, not a blank screen.
 */
class ChunkBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <section className="page state state-error" role="alert">
        <p>{m.shell.pageFailed}</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {m.shell.reload}
        </button>
      </section>
    )
  }
}
