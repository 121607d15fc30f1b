// The app's root: finds out who is signed in, then shows either the sign-in pages or the
// signed-in app. A session that ends mid-work is renewed in a dialog over the page, so
// nothing typed is lost.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ApiError, onApiSignal } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { User } from '../api/types.ts'
import { SignInPage, SignUpPage } from '../auth/AuthPages.tsx'
import { PASSWORD_PAGES, PasswordPage } from '../auth/PasswordPages.tsx'
import { SignInForm } from '../auth/SignInForm.tsx'
import { LiveUpdatesProvider } from '../hooks/live.tsx'
import { homePath, type Session, SessionContext, safeNextPath } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { navigate, useLocation } from '../router/router.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { ErrorState, Loading } from '../ui/States.tsx'
import { Redirect, SignedInRoutes } from './Routes.tsx'
import { Shell } from './Shell.tsx'

type Boot =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'anonymous'; notice?: string }
  | { status: 'signed-in'; user: User }

export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the retry trigger
  useEffect(() => {
    setBoot({ status: 'loading' })
    auth.session().then(
      (user) => setBoot(user ? { status: 'signed-in', user } : { status: 'anonymous' }),
      (error: unknown) => setBoot({ status: 'error', error }),
    )
  }, [attempt])

  const signedIn = useCallback((user: User) => setBoot({ status: 'signed-in', user }), [])
  const signedOut = useCallback(
    () => setBoot({ status: 'anonymous', notice: m.shell.signedOut }),
    [],
  )
  const { pathname } = useLocation()

  // A mailed link works whoever is signed in on this browser: its token is the proof.
  if (PASSWORD_PAGES.has(pathname)) return <PasswordPage pathname={pathname} />

  if (boot.status === 'loading') {
    return (
      <main id="main" className="boot">
        <Loading label={m.shell.loadingApp} />
      </main>
    )
  }
  if (boot.status === 'error') {
    return (
      <main id="main" className="boot">
        <ErrorState error={boot.error} onRetry={() => setAttempt((value) => value + 1)} />
      </main>
    )
  }
  if (boot.status === 'anonymous') {
    return <AnonymousApp notice={boot.notice} onSignedIn={signedIn} />
  }
  return <SignedInApp user={boot.user} onUserChange={signedIn} onSignedOut={signedOut} />
}

function AnonymousApp({ notice, onSignedIn }: { notice?: string; onSignedIn(user: User): void }) {
  const { pathname, query, href } = useLocation()
  const enter = (user: User) => {
    onSignedIn(user)
    navigate(safeNextPath(query.get('next')) ?? homePath(user), { replace: true })
  }
  if (pathname === '/signup') return <SignUpPage />
  if (pathname !== '/signin') {
    const next = pathname === '/' ? '' : `?next=${encodeURIComponent(href)}`
    return <Redirect to={`/signin${next}`} />
  }
  return <SignInPage notice={notice} onSignedIn={enter} />
}

interface SignedInAppProps {
  user: User
  onUserChange(user: User): void
  onSignedOut(): void
}

function SignedInApp({ user, onUserChange, onSignedOut }: SignedInAppProps) {
  const [expired, setExpired] = useState(false)

  useEffect(
    () =>
      onApiSignal((signal) => {
        if (signal === 'session-expired') setExpired(true)
        else navigate('/account?mfa=required')
      }),
    [],
  )

  const session = useMemo<Session>(
    () => ({
      user,
      replaceUser: onUserChange,
      async signOut({ everywhere = false } = {}) {
        await (everywhere ? auth.logoutEverywhere() : auth.logout()).catch((error: unknown) => {
          // An already-ended session is the outcome we wanted.
          if (!(error instanceof ApiError && error.status === 401)) throw error
        })
        onSignedOut()
        navigate('/signin', { replace: true })
      },
    }),
    [user, onUserChange, onSignedOut],
  )

  const renewed = (next: User) => {
    // Someone else signing in on this screen must not see the previous person's page.
    if (next.id !== user.id) {
      window.location.assign(homePath(next))
      return
    }
    setExpired(false)
    onUserChange(next)
  }

  return (
    <SessionContext.Provider value={session}>
      <LiveUpdatesProvider enabled={!expired}>
        <Shell>
          <SignedInRoutes user={user} />
        </Shell>
      </LiveUpdatesProvider>
      <Dialog open={expired} title={m.shell.sessionEnded}>
        <p>{m.shell.sessionEndedHint}</p>
        <SignInForm initialEmail={user.email} onSignedIn={renewed} />
      </Dialog>
    </SessionContext.Provider>
  )
}
