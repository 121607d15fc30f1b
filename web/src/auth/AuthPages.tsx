// What a visitor without a session sees: sign in, and create an account when self sign-up is on.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePublicSettings } from '../hooks/publicSettings.ts'
import { Link } from '../router/router.tsx'
import { Field } from '../ui/Field.tsx'
import { FormError, Loading } from '../ui/States.tsx'
import { AuthCard } from './AuthCard.tsx'
import { SignInForm } from './SignInForm.tsx'

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
      <p className="auth-switch">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      {signupOpen && (
        <p className="auth-switch">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      )}
    </AuthCard>
  )
}

export function SignUpPage() {
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
        <SignUpForm />
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

function SignUpForm() {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [registered, setRegistered] = useState(false)
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      await auth.register({ name: name.trim(), email: email.trim(), password })
      setRegistered(true)
    })
  }

  if (registered) {
    // The same words whether the address was new or taken: the page tells a stranger nothing.
    return (
      <p className="notice" role="status">
        Check your mail: we sent a link to {email.trim()}. Follow it to confirm your address, then
        sign in.
      </p>
    )
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
      <FormError error={error} fields={['name', 'email', 'password']} />
      <button type="submit" className="button button-primary button-wide" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  )
}
