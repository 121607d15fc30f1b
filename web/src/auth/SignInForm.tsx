// Email and password, then — for accounts with two-factor sign-in — a second step asking for
// the authenticator code (or a recovery code).
import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { Credentials, User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { messages as m } from '../i18n/messages.ts'
import { Field } from '../ui/Field.tsx'
import { InlineError } from '../ui/States.tsx'

type Step = 'password' | 'totp' | 'recovery'

export interface SignInFormProps {
  initialEmail?: string
  onSignedIn(user: User): void
}

export function SignInForm({ initialEmail = '', onSignedIn }: SignInFormProps) {
  const [email, setEmail] = useState(initialEmail)
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [step, setStep] = useState<Step>('password')
  const { busy, error, run, setError } = useAction()
  const codeInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (step !== 'password') codeInput.current?.focus()
  }, [step])

  const credentials = (): Credentials => {
    if (step === 'totp') return { email, password, totp: code.replace(/\s/g, '') }
    if (step === 'recovery') return { email, password, recoveryCode: code.trim() }
    return { email, password }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      try {
        onSignedIn(await auth.login(credentials()))
      } catch (failure) {
        if (failure instanceof ApiError && failure.type === 'mfa_required' && step === 'password') {
          setStep('totp')
        } else {
          throw describe(failure, step)
        }
      }
    })
  }

  const switchTo = (next: Step) => {
    setStep(next)
    setCode('')
    setError(null)
  }

  return (
    <form className="form signin-form" onSubmit={submit} noValidate>
      {step === 'password' ? (
        <>
          <Field label={m.common.email}>
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <Field label={m.common.password}>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                // Renewing a session, the email is known: the dialog opens on the password.
                // biome-ignore lint/a11y/noAutofocus: focus placement inside a modal dialog
                autoFocus={initialEmail !== ''}
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
        </>
      ) : (
        <CodeStep step={step} code={code} setCode={setCode} inputRef={codeInput} />
      )}
      <InlineError error={error} />
      <button type="submit" className="button button-primary button-wide" disabled={busy}>
        {busy ? m.auth.signingIn : step === 'password' ? m.common.signIn : m.auth.verify}
      </button>
      {step === 'totp' && (
        <button type="button" className="link-button" onClick={() => switchTo('recovery')}>
          {m.auth.useRecoveryCode}
        </button>
      )}
      {step === 'recovery' && (
        <button type="button" className="link-button" onClick={() => switchTo('totp')}>
          {m.auth.useAuthenticator}
        </button>
      )}
      {step !== 'password' && (
        <button type="button" className="link-button" onClick={() => switchTo('password')}>
          {m.auth.backToPassword}
        </button>
      )}
    </form>
  )
}

interface CodeStepProps {
  step: 'totp' | 'recovery'
  code: string
  setCode(code: string): void
  inputRef: RefObject<HTMLInputElement | null>
}

function CodeStep({ step, code, setCode, inputRef }: CodeStepProps) {
  const totp = step === 'totp'
  return (
    <Field
      label={totp ? m.auth.authenticationCode : m.auth.recoveryCode}
      hint={totp ? m.auth.totpHint : m.auth.recoveryHint}
    >
      {(control) => (
        <input
          {...control}
          ref={inputRef}
          type="text"
          inputMode={totp ? 'numeric' : 'text'}
          autoComplete="one-time-code"
          pattern={totp ? '[0-9 ]*' : undefined}
          maxLength={totp ? 7 : 64}
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      )}
    </Field>
  )
}

/** Sign-in failures in the words a person needs; never whether the account exists. */
function describe(failure: unknown, step: Step): unknown {
  if (!(failure instanceof ApiError)) return failure
  if (failure.type === 'mfa_invalid' || (failure.status === 401 && step !== 'password')) {
    return new Error(step === 'recovery' ? m.auth.recoveryCodeInvalid : m.auth.totpInvalid)
  }
  if (failure.status === 401) return new Error(m.auth.credentialsInvalid)
  if (failure.status === 429) {
    const wait = failure.retryAfterSeconds
    return new Error(
      wait
        ? m.auth.tooManyAttemptsIn({ minutes: Math.ceil(wait / 60) })
        : m.auth.tooManyAttemptsLater,
    )
  }
  return failure
}
