// What a visitor without a session sees: sign in, and create an account when self sign-up is on.
import { type FormEvent, type ReactNode, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePublicSettings } from '../hooks/publicSettings.ts'
import { Link } from '../router/router.tsx'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { InlineError, Loading } from '../ui/States.tsx'
import { SignInForm } from './SignInForm.tsx'

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          Helpdesk
        </p>
        <PageHeading title={title} />
        {children}
      </div>
    </main>
  )
}

export function SignInPage({
  notice,
  onSignedIn,
}: {
  notice?: string
  onSignedIn(user: User): void
}) {
  const settings = usePublicSettings()
  const signupOpen = settings.result.state === 'ready' && settings.result.data.selfSignupEnabled
  return (
    <AuthCard title="Sign in">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <SignInForm onSignedIn={onSignedIn} />
      {signupOpen && (
        <p className="auth-switch">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      )}
    </AuthCard>
  )
}

export function SignUpPage({ onSignedIn }: { onSignedIn(user: User): void }) {
  const settings = usePublicSettings()
  if (settings.result.state === 'loading') {
    return (
      <AuthCard title="Create an account">
        <Loading />
      </AuthCard>
    )
  }
  const open = settings.result.state === 'ready' && settings.result.data.selfSignupEnabled
  return (
    <AuthCard title="Create an account">
      {open ? (
        <SignUpForm onSignedIn={onSignedIn} />
      ) : (
        <p className="notice">
          This helpdesk does not take new accounts online. Ask your support contact for an
          invitation.
        </p>
      )}
      <p className="auth-switch">
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </AuthCard>
  )
}

function SignUpForm({ onSignedIn }: { onSignedIn(user: User): void }) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      await auth.register({ name: name.trim(), email: email.trim(), password })
      onSignedIn(await auth.login({ email: email.trim(), password }))
    })
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label="Name" error={fieldError('name')}>
        {(control) => (
          <input
            {...control}
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label="Email" error={fieldError('email')}>
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
      <Field label="Password" error={fieldError('password')}>
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
      <InlineError error={error} />
      <button type="submit" className="button button-primary button-wide" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  )
}
