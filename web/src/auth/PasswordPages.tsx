// The pages mailed links open: "forgot password" (ask for a link), set a password with a
// link (a reset, an admin's invitation, a customer who wrote in by mail) and confirm the
// address of a new account. They work signed in or not: a link is the proof.
import { type FormEvent, useEffect, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link, useLocation } from '../router/router.tsx'
import { Field } from '../ui/Field.tsx'
import { FormError, InlineError, Loading } from '../ui/States.tsx'
import { AuthCard } from './AuthCard.tsx'

/** Paths of the pages below: App shows them whether someone is signed in or not. */
export const PASSWORD_PAGES = new Set(['/forgot-password', '/set-password', '/verify-email'])

export function PasswordPage({ pathname }: { pathname: string }) {
  if (pathname === '/forgot-password') return <ForgotPasswordPage />
  if (pathname === '/set-password') return <SetPasswordPage />
  return <VerifyEmailPage />
}

function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const { busy, error, run } = useAction()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      await auth.forgotPassword(email.trim())
      setSent(true)
    })
  }
  return (
    <AuthCard title={m.auth.forgotPassword}>
      {sent ? (
        <p className="notice" role="status">
          {m.auth.resetLinkSent({ email: email.trim() })}
        </p>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <p>{m.auth.resetIntro}</p>
          <Field
            label={m.common.email}
            error={error instanceof ApiError ? error.fieldMessage('email') : undefined}
          >
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <FormError error={error} fields={['email']} />
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {busy ? m.common.sending : m.auth.sendLink}
          </button>
        </form>
      )}
      <p className="auth-switch">
        <Link to="/signin">{m.auth.backToSignIn}</Link>
      </p>
    </AuthCard>
  )
}

function SetPasswordPage() {
  const token = useLocation().query.get('token') ?? ''
  const [password, setPassword] = useState('')
  const [done, setDone] = useState(false)
  const { busy, error, run } = useAction()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      await auth.setPassword(token, password)
      setDone(true)
    })
  }
  return (
    <AuthCard title={m.auth.choosePassword}>
      {done ? (
        <>
          <p className="notice" role="status">
            {m.auth.passwordSet}
          </p>
          <p className="auth-switch">
            <Link to="/signin">{m.common.signIn}</Link>
          </p>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label={m.auth.newPassword}
            hint={m.auth.newPasswordHint}
            error={error instanceof ApiError ? error.fieldMessage('password') : undefined}
          >
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          <FormError error={error} fields={['password']} />
          {error instanceof ApiError && error.type === 'token_invalid' && (
            <p>
              <Link to="/forgot-password">{m.auth.askNewLink}</Link>
            </p>
          )}
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {busy ? m.common.saving : m.auth.setPassword}
          </button>
        </form>
      )}
    </AuthCard>
  )
}

/** A token is used once: a second run of the effect (React's strict mode) reuses the answer. */
const verifications = new Map<string, Promise<unknown>>()

function VerifyEmailPage() {
  const token = useLocation().query.get('token') ?? ''
  const [state, setState] = useState<'checking' | 'verified' | { error: unknown }>('checking')
  useEffect(() => {
    if (!verifications.has(token)) verifications.set(token, auth.verifyEmail(token))
    verifications.get(token)?.then(
      () => setState('verified'),
      (error: unknown) => setState({ error }),
    )
  }, [token])
  return (
    <AuthCard title={m.auth.confirmAddress}>
      {state === 'checking' && <Loading label={m.auth.confirming} />}
      {state === 'verified' && (
        <p className="notice" role="status">
          {m.auth.addressConfirmed}
        </p>
      )}
      {typeof state === 'object' && <InlineError error={state.error} />}
      <p className="auth-switch">
        <Link to="/signin">{m.common.signIn}</Link>
      </p>
    </AuthCard>
  )
}
