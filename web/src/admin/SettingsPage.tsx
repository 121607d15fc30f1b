import { type FormEvent, useEffect, useState } from 'react'
import { admin } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, InlineError, Loading, StatusLine } from '../ui/States.tsx'

export function SettingsPage() {
  const settings = useLoad('settings', () => admin.settings())
  const [selfSignup, setSelfSignup] = useState(false)
  const { busy, error, run } = useAction()
  const [status, setStatus] = useState('')
  const loaded = settings.result.state === 'ready' ? settings.result.data : undefined

  useEffect(() => {
    if (loaded) setSelfSignup(loaded.selfSignupEnabled)
  }, [loaded])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setStatus('')
    void run(async () => {
      const saved = await admin.saveSettings({ selfSignupEnabled: selfSignup })
      settings.update(() => saved)
      setStatus('Settings saved.')
    })
  }

  return (
    <section className="page page-narrow">
      <PageHeading title="Settings" />
      {settings.result.state === 'loading' && <Loading />}
      {settings.result.state === 'error' && (
        <ErrorState error={settings.result.error} onRetry={settings.reload} />
      )}
      {loaded && (
        <form className="form" onSubmit={submit}>
          <div className="checkbox-field">
            <input
              id="self-signup"
              type="checkbox"
              checked={selfSignup}
              onChange={(event) => setSelfSignup(event.target.checked)}
              aria-describedby="self-signup-hint"
            />
            <label htmlFor="self-signup">Customers can create their own accounts</label>
            <p id="self-signup-hint" className="field-hint">
              When on, the sign-in page offers “Create an account” and anyone can open requests.
              When off, only admins add people.
            </p>
          </div>
          <InlineError error={error} />
          {status && <StatusLine message={status} />}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </form>
      )}
    </section>
  )
}
