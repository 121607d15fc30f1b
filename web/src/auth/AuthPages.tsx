// What a visitor without a session sees: sign in, and create an account when self sign-up is on.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePublicSettings } from '../hooks/publicSettings.ts'
import { messages as m } from '../i18n/messages.ts'
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
    <AuthCard title={m.common.signIn}>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <SignInForm onSignedIn={onSignedIn} />
      <p className="auth-switch">
        <Link to="/forgot-password">{m.auth.forgotPassword}</Link>
      </p>
      {signupOpen && (
        <p className="auth-switch">
          {m.auth.newHere} <Link to="/signup">{m.auth.createAnAccount}</Link>
        </p>
      )}
    </AuthCard>
  )
}

export function SignUpPage() {
  const settings = usePublicSettings()
  if (settings.result.state === 'loading') {
    return (
      <AuthCard title={m.auth.createAnAccount}>
        <Loading />
      </AuthCard>
    )
  }
  const open = settings.result.state === 'ready' && settings.result.data.selfSignupEnabled
  return (
    <AuthCard title={m.auth.createAnAccount}>
      {open ? <SignUpForm /> : <p className="notice">{m.auth.signupClosed}</p>}
      <p className="auth-switch">
        {m.auth.haveAccount} <Link to="/signin">{m.common.signIn}</Link>
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
        {m.auth.checkYourMail({ email: email.trim() })}
      </p>
    )
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={m.common.name} error={fieldError('name')}>
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
      <Field label={m.common.email} error={fieldError('email')}>
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
      <Field label={m.common.password} error={fieldError('password')}>
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
        {busy ? m.auth.creatingAccount : m.auth.createAccount}
      </button>
    </form>
  )
}
