// Email and password, then — for accounts with two-factor sign-in — a second step asking for
// the authenticator code (or a recovery code).
import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { Credentials, User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
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
          <Field label="Email">
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
          <Field label="Password">
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
        {busy ? 'Signing in…' : step === 'password' ? 'Sign in' : 'Verify'}
      </button>
      {step === 'totp' && (
        <button type="button" className="link-button" onClick={() => switchTo('recovery')}>
          Use a recovery code instead
        </button>
      )}
      {step === 'recovery' && (
        <button type="button" className="link-button" onClick={() => switchTo('totp')}>
          Use the authenticator app instead
        </button>
      )}
      {step !== 'password' && (
        <button type="button" className="link-button" onClick={() => switchTo('password')}>
          Back to email and password
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
      label={totp ? 'Authentication code' : 'Recovery code'}
      hint={
        totp
          ? 'Enter the 6-digit code from your authenticator app.'
          : 'Enter one of the recovery codes you saved when you set up two-factor sign-in. Each works once.'
      }
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
    return new Error(
      step === 'recovery'
        ? 'That recovery code is not valid or was already used.'
        : 'That code is not right. Check the time on your phone and try the current code.',
    )
  }
  if (failure.status === 401) return new Error('The email or password is not right.')
  if (failure.status === 429) {
    const wait = failure.retryAfterSeconds
    return new Error(
      `Too many attempts. Try again ${wait ? `in ${Math.ceil(wait / 60)} minute(s)` : 'later'}.`,
    )
  }
  return failure
}
