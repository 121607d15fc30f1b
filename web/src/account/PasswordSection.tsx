// Changing one's own password: the current one proves it is the owner; every other session
// ends (and API tokens are revoked), this browser carries on.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { Field } from '../ui/Field.tsx'
import { FormError, StatusLine } from '../ui/States.tsx'

export function PasswordSection() {
  const { replaceUser } = useSession()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [status, setStatus] = useState('')
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setStatus('')
    void run(async () => {
      replaceUser(await auth.changePassword(current, next))
      setCurrent('')
      setNext('')
      setStatus(m.account.password.changed)
    })
  }

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{m.account.password.heading}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={m.account.password.current} error={fieldError('currentPassword')}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={m.account.password.new}
          hint={m.account.password.newHint}
          error={fieldError('newPassword')}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              required
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
          )}
        </Field>
        <FormError error={error} fields={['currentPassword', 'newPassword']} />
        {status && <StatusLine message={status} />}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.account.password.changing : m.account.password.change}
        </button>
      </form>
    </section>
  )
}
